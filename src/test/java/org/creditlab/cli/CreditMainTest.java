package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A user error wrapped in another exception is still exit 2 with its one line (exit 1 is in ExitStatusTest). */
class CreditMainTest {
    private static String handled(Exception e, int[] code) {
        CommandLine cli = CreditMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        code[0] = CreditMain.handle(e, cli);
        return err.toString();
    }

    @Test void aUserErrorWrappedInAnotherExceptionIsStillExit2() {
        int[] code = new int[1];
        String err = handled(new RuntimeException(new UserError("no checkpoint at x")), code);
        assertEquals(CreditMain.USAGE, code[0]);
        assertEquals("credit: error: no checkpoint at x", err.strip());
    }
}
