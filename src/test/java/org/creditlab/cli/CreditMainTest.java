package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The exit-status rows no other test reaches: 1 (a bug), and 2 for a user error however deeply wrapped. */
class CreditMainTest {
    private static String handled(Exception e, int[] code) {
        CommandLine cli = CreditMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        code[0] = CreditMain.handle(e, cli);
        return err.toString();
    }

    @Test void aBugIsExit1WithOneLineAndTheStackTraceInALog() throws Exception {
        int[] code = new int[1];
        String err = handled(new IllegalStateException("an invariant broke"), code);
        assertEquals(CreditMain.BUG, code[0]);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("credit: internal error: java.lang.IllegalStateException: an invariant broke (stack trace in "), err);
        Path log = Path.of(err.substring(err.indexOf("stack trace in ") + 15, err.lastIndexOf(')')));
        String trace = Files.readString(log);
        assertTrue(trace.contains("an invariant broke") && trace.contains("at org.creditlab.cli.CreditMainTest"), trace);
        Files.delete(log);
    }

    @Test void aUserErrorWrappedInAnotherExceptionIsStillExit2() {
        int[] code = new int[1];
        String err = handled(new RuntimeException(new UserError("no checkpoint at x")), code);
        assertEquals(CreditMain.USAGE, code[0]);
        assertEquals("credit: error: no checkpoint at x", err.strip());
    }
}
