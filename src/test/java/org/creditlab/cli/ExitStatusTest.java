package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every row of the README's exit-status table (0, 2, 3, 1; 130 and 143 in RunSafetyProcessTest) happens as the table says. */
class ExitStatusTest {
    @TempDir Path tmp;

    private static final List<String> SMALL = List.of("train", "--dataset", "fmnist", "--no-download", "--hidden", "16",
            "--epochs", "1", "--set", "train_subset=300", "--quiet");

    private ConfigCliTest.Outcome small(String name, String... extra) {
        List<String> args = new java.util.ArrayList<>(SMALL);
        args.addAll(List.of("--out", tmp.resolve(name).toString()));
        args.addAll(List.of(extra));
        return ConfigCliTest.run(args.toArray(String[]::new));
    }

    @Test void theReadmeTableListsTheCodesTestedHere() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("### Exit status"), readme.indexOf("## Data"));
        Set<Integer> codes = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(table);
        while (m.find()) codes.add(Integer.parseInt(m.group(1)));
        // 130 and 143 (a real SIGINT / SIGTERM to a child process) are tested in RunSafetyProcessTest,
        // 4 (a sweep with a cell that keeps failing) in SweepRunTest
        assertEquals(Set.of(0, 1, CreditMain.USAGE, CreditMain.DIVERGED, CreditMain.INTERRUPTED_SIGINT,
                CreditMain.INTERRUPTED_SIGTERM, org.creditlab.sweep.CellRunner.GAVE_UP), codes, table);
        assertEquals(1, CreditMain.BUG);
    }

    @Test void zeroCompleted() {
        assertEquals(0, small("ok").code());
    }

    @Test void twoUserErrorAndFileSystemProblem() throws Exception {
        assertEquals(CreditMain.USAGE, ConfigCliTest.run("train", "--rule", "nope").code());
        assertEquals(CreditMain.USAGE, ConfigCliTest.run("train", "--set", "momentum=5").code());
        Path file = Files.writeString(tmp.resolve("file"), "");
        assertEquals(CreditMain.USAGE, small("x", "--data-dir", tmp.resolve("none").toString(), "--dataset", "kmnist").code());
        assertEquals(CreditMain.USAGE, ConfigCliTest.run("train", "--out", file.toString()).code());
    }

    @Test void threeDivergedOnNanOrAboveTheLossCeiling() {
        assertEquals(CreditMain.DIVERGED, small("nan", "--loss", "mse", "--set", "output_activation=linear", "--lr", "1e6").code());
        assertEquals(CreditMain.DIVERGED, small("ceiling", "--set", "loss_ceiling=0.5").code());
    }

    @Test void oneInternalErrorWithTheStackTraceInALog() throws Exception {
        CommandLine cli = CreditMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(CreditMain.BUG, CreditMain.handle(new IllegalStateException("a bug"), cli));
        String line = err.toString().strip();
        assertTrue(line.startsWith("credit: internal error: java.lang.IllegalStateException: a bug (stack trace in "), line);
        Path log = Path.of(line.substring(line.indexOf("stack trace in ") + 15, line.length() - 1));
        assertTrue(Files.readString(log).contains("IllegalStateException"));
        Files.delete(log);
    }
}
