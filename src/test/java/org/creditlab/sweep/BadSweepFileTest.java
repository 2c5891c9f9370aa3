package org.creditlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.creditlab.cli.CreditMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every kind of bad sweep file is one line on stderr and exit 2, from plan and from run, before anything runs. */
class BadSweepFileTest {
    @TempDir Path tmp;

    private static final String[][] CASES = {
            {"{'grid': {'lr': [0.1]}, 'sedes': [1]}", "unknown field 'sedes'"},
            {"{'grid': {'lrr': [0.1]}}", "unknown key 'lrr'"},
            {"{'grid': {'lrr': [0.1]}}", "did you mean 'lr'?"},
            {"{'grid': {'lr': []}}", "grid.lr is an empty list"},
            {"{'grid': {'lr': 0.1}}", "grid.lr must be a list of values"},
            {"{'grid': {}}", "grid is empty"},
            {"{'grid': []}", "grid is an empty list: the sweep has no cells"},
            {"{'grid': {'lr': [0.1, 0.1]}}", "lists a value twice"},
            {"{'random': {'samples': 2, 'axes': {'lr': {'gaussian': [0, 1]}}}}", "unknown distribution 'gaussian'"},
            {"{'random': {'samples': 2, 'axes': {'lr': {'log-uniform': [0, 1]}}}}", "log-uniform needs low > 0"},
            {"{'random': {'samples': 2, 'axes': {'lr': {'uniform': [0.5, 0.1]}}}}", "uniform needs low < high"},
            {"{'random': {'samples': 2, 'axes': {'lr': {'uniform': [0.1]}}}}", "uniform needs [low, high]"},
            {"{'random': {'samples': 2, 'axes': {'batch_size': {'int': [1.5, 4]}}}}", "int needs whole-number bounds"},
            {"{'random': {'samples': 0, 'axes': {'lr': {'uniform': [0.1, 0.2]}}}}", "random.samples must be a whole number >= 1"},
            {"{'random': {'samples': 2, 'axes': {'lr': {'uniform': [0.1, 0.2], 'choice': [1]}}}}", "must name one distribution"},
            {"{'seeds': [1, 1]}", "seeds lists 1 twice"},
            {"{'seeds': 0}", "seeds as a count must be 1 to 10000"},
            {"{'seeds': [1.5]}", "seeds must be whole numbers"},
            {"{'grid': {'seed': [1, 2]}, 'seeds': [3]}", "'seed' is both a grid axis and 'seeds'"},
            {"{'grid': {'threads': [1, 2]}}", "'threads' cannot vary in a sweep"},
            {"{'base': {'out': 'x'}}", "base must not set 'out'"},
            {"{'grid': {'lr': [-1]}}", "'lr' must be a positive number, got -1"},
            {"{'grid': {'rule': ['bp', 'nosuch']}}", "unknown rule 'nosuch'"},
            {"{'base': {'epochz': 2}}", "unknown config key 'epochz'"},
            // sigma on every rule, without a 'when': bp takes no options
            {"{'grid': {'rule': ['np', 'bp'], 'sigma': [1e-3]}}", "unknown option sigma for rule bp"},
            {"{'grid': {'sigma': {'values': [1e-3], 'when': {}}}}", "when is empty"},
            {"{'grid': [{'lr': [0.1]}, {'lr': [0.1]}]}", "are the same run"},
            {"{'name': 'a/b'}", "name must be a plain directory name"},
            {"{'slurm': {'cpus': 0}}", "slurm.cpus must be a whole number >= 1"},
            {"{'slurm': {'qos': 'x'}}", "slurm: unknown field 'qos'"},
            {"{'config': 'missing.json'}", "not found"},
            {"{'max_attempts': 0}", "max_attempts must be a whole number >= 1"},
            {"[1, 2]", "must hold a JSON object"},
            {"{'grid': {'lr': [0.1]}", "is not valid JSON (line 1)"},
    };

    record Outcome(int code, String err) { }

    private static Outcome credit(String... args) {
        CommandLine cli = CreditMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return new Outcome(cli.execute(args), err.toString());
    }

    @Test void everyBadSweepFileIsOneLineAndExit2() throws Exception {
        int i = 0;
        for (String[] c : CASES) {
            Path f = SweepFiles.write(tmp, "bad" + i++, c[0]);
            for (String command : new String[] {"plan", "run"}) {
                Path out = tmp.resolve("out" + i + command);
                Outcome o = command.equals("plan") ? credit("sweep", "plan", f.toString())
                        : credit("sweep", "run", f.toString(), "--out", out.toString(), "--executor", "print");
                String what = command + " " + c[0] + " -> " + o.err();
                assertEquals(CreditMain.USAGE, o.code(), what);
                assertEquals(1, o.err().strip().lines().count(), what);
                assertTrue(o.err().startsWith("credit: error: "), what);
                assertTrue(o.err().contains(c[1]), "expected '" + c[1] + "': " + what);
                for (String internal : new String[] {"Exception", "at org.", "jackson"}) assertFalse(o.err().contains(internal), what);
                assertFalse(Files.exists(out.resolve("manifest.json")), "nothing is created for a bad file: " + what);
            }
        }
    }

    @Test void aFolderOfOtherRunsIsNotTakenOver() throws Exception {
        Path runs = tmp.resolve("runs");
        Files.createDirectories(runs.resolve("bp"));
        Path f = SweepFiles.write(tmp, "ok2", "{'grid': {'lr': [0.1]}}");
        Outcome o = credit("sweep", "run", f.toString(), "--out", runs.toString(), "--executor", "print");
        assertEquals(CreditMain.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("exists and is not a sweep directory"), o.err());
        assertFalse(Files.exists(runs.resolve("manifest.json")));
    }

    @Test void aMissingSweepFileAndAnUnknownExecutorAreUserErrors() {
        Outcome missing = credit("sweep", "plan", tmp.resolve("nope.json").toString());
        assertEquals(CreditMain.USAGE, missing.code());
        assertTrue(missing.err().contains("sweep file not found"), missing.err());
        Path f = SweepFiles.write(tmp, "ok", "{'grid': {'lr': [0.1]}}");
        Outcome exec = credit("sweep", "run", f.toString(), "--out", tmp.resolve("o").toString(), "--executor", "pbs");
        assertEquals(CreditMain.USAGE, exec.code());
        assertTrue(exec.err().contains("--executor must be local, slurm or print"), exec.err());
    }
}
