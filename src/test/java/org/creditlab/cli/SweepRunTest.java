package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.creditlab.sweep.Cell;
import org.creditlab.sweep.CellState;
import org.creditlab.sweep.SweepDirectory;
import org.creditlab.sweep.SweepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Running sweeps for real on the bundled MNIST sample: skipping finished cells, retrying a failing one up to
 * max_attempts, resuming one killed with kill -9 and one stopped by SIGTERM to the sweep, with every other cell's
 * files untouched, and a resumed cell ending with the metrics of an uninterrupted run.
 */
class SweepRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    record Outcome(int code, String out, String err) { }

    static Outcome credit(String... args) {
        CommandLine cli = CreditMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(bytes, true));
        try {
            return new Outcome(cli.execute(args), bytes.toString(), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    private Path sweepFile(String name, String json) throws Exception {
        Path f = tmp.resolve(name + ".json");
        Files.writeString(f, json.replace('\'', '"'));
        return f;
    }

    private static String base(int epochs, int subset) {
        return "{'dataset': 'mnist', 'hidden': [8], 'epochs': " + epochs + ", 'train_subset': " + subset + ", 'validation': 200,"
                + " 'download': false, 'train_accuracy_examples': 0, 'batch_size': 50, 'eval_batch_size': 500}";
    }

    /** A cell that fails (a dataset that is not on the machine, downloads off) is retried up to max_attempts; the other is never touched. */
    @Test void finishedCellsAreSkippedAndAFailingCellIsRetriedUpToTheLimit() throws Exception {
        Path file = sweepFile("fail", "{'name': 'fail', 'base': " + base(1, 600) + ", 'grid': {'dataset': ['mnist', 'kmnist']},"
                + " 'max_attempts': 2}");
        Path dir = tmp.resolve("fail");
        Outcome first = credit("sweep", "run", file.toString(), "--out", dir.toString(), "--jobs", "2");
        assertEquals(4, first.code(), first.out() + first.err());
        SweepDirectory sweep = SweepDirectory.open(dir);
        List<CellState> s = SweepStatus.states(sweep);
        assertEquals(CellState.Status.COMPLETED, s.get(0).status(), s.get(0).toString());
        assertEquals(CellState.Status.FAILED, s.get(1).status(), s.get(1).toString());
        assertEquals(1, s.get(1).failures());
        assertTrue(Files.readString(sweep.logFile(s.get(1).cell())).contains("kmnist"), "the failing cell's log says why");
        Path metrics = sweep.runDir(s.get(0).cell()).resolve("metrics.jsonl");
        String before = Files.readString(metrics);
        FileTime mtime = Files.getLastModifiedTime(metrics);

        Outcome second = credit("sweep", "run", file.toString(), "--out", dir.toString(), "--jobs", "2");
        assertEquals(4, second.code());
        assertTrue(second.out().contains("1 to run"), second.out());
        s = SweepStatus.states(sweep);
        assertEquals(2, s.get(1).failures(), "retried once more");
        assertEquals(1, s.get(0).attempts(), "the completed cell was not started again");

        Outcome third = credit("sweep", "run", file.toString(), "--out", dir.toString());
        assertEquals(4, third.code());
        assertTrue(third.out().contains("0 to run"), "max_attempts 2 reached: " + third.out());
        assertEquals(2, SweepStatus.states(sweep).get(1).attempts());
        assertEquals(before, Files.readString(metrics));
        assertEquals(mtime, Files.getLastModifiedTime(metrics));
        Outcome status = credit("sweep", "status", dir.toString());
        assertTrue(status.out().contains("2 cells: 1 completed, 0 running, 1 failed"), status.out());
        assertTrue(status.out().contains("gave up after 2 failures"), status.out());
    }

    /**
     * kill -9 of a cell mid-run (as a lost node or Slurm's SIGKILL) and SIGTERM to the sweep (Ctrl-C, a time limit):
     * both cells resume from their checkpoints on the next run and end exactly as uninterrupted runs of the same cells.
     */
    @Test void killedAndStoppedCellsResumeToTheMetricsOfUninterruptedRuns() throws Exception {
        Path file = sweepFile("kill", "{'name': 'kill', 'base': " + base(4, 3000) + ", 'seeds': [1, 2]}");
        Path dir = tmp.resolve("kill");
        assertEquals(0, credit("sweep", "run", file.toString(), "--out", dir.toString(), "--executor", "print").code());
        SweepDirectory sweep = SweepDirectory.open(dir);
        Cell a = sweep.cells().get(0), b = sweep.cells().get(1);

        ChildCredit cell = ChildCredit.start(tmp, "cell0", "sweep", "run-cell", dir.toString(), "0");
        awaitEpoch(sweep.runDir(a), cell);
        cell.process().destroyForcibly();
        cell.process().waitFor();
        assertEquals(CellState.Status.INTERRUPTED, CellState.of(sweep, a).status(), "killed: no live lock, result still 'running'");

        ChildCredit run = ChildCredit.start(tmp, "sweep", "sweep", "run", file.toString(), "--out", dir.toString());
        awaitEpoch(sweep.runDir(a), run);   // cell 0 resumed first, then cell 1
        awaitEpoch(sweep.runDir(b), run);
        run.signal("TERM");
        ChildCredit.Exit stopped = run.waitFor(120);
        assertEquals(143, stopped.code(), stopped.stdout() + stopped.stderr());
        CellState sb = CellState.of(sweep, b);
        assertEquals(CellState.Status.INTERRUPTED, sb.status(), sb.toString());
        assertEquals("interrupted", JSON.readTree(sweep.runDir(b).resolve("result.json").toFile()).path("status").asText());

        Outcome resumed = credit("sweep", "run", file.toString(), "--out", dir.toString());
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("1 to run") || resumed.out().contains("2 to run"), resumed.out());

        // the same cells, uninterrupted, in another sweep directory
        Path clean = tmp.resolve("clean");
        assertEquals(0, credit("sweep", "run", file.toString(), "--out", clean.toString(), "--executor", "print").code());
        for (int i = 0; i < 2; i++) assertEquals(0, credit("sweep", "run-cell", clean.toString(), Integer.toString(i)).code());
        SweepDirectory reference = SweepDirectory.open(clean);
        for (Cell c : List.of(a, b)) {
            JsonNode r = JSON.readTree(sweep.runDir(c).resolve("result.json").toFile());
            assertEquals("completed", r.path("status").asText());
            assertTrue(r.path("resumes").size() >= 1, "resumed from a checkpoint: " + r);
            assertEquals(epochLines(reference.runDir(c)), epochLines(sweep.runDir(c)), c.name());
        }
    }

    /** Waits until the run in {@code dir} has finished its first epoch (and not its last). */
    private static void awaitEpoch(Path dir, ChildCredit child) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            Path r = dir.resolve("result.json");
            if (Files.exists(r)) {
                try {
                    JsonNode n = JSON.readTree(r.toFile());
                    int epochs = n.path("final").path("epochs").asInt();
                    if ("running".equals(n.path("status").asText()) && epochs >= 1) {
                        assertTrue(epochs < 4, "the cell must still be running");
                        return;
                    }
                } catch (java.io.IOException partial) {
                    // never partial (atomic writes), but a rename can race the read on some file systems
                }
            }
            if (!child.isAlive()) throw new AssertionError("child ended early: " + child.waitFor(1));
            Thread.sleep(20);
        }
        throw new AssertionError("no epoch in " + dir);
    }

    /** The epoch lines' numbers that must match: losses and accuracies (not wall time). */
    private static List<String> epochLines(Path run) throws Exception {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"type\":\"epoch\"")).map(l -> {
            try {
                JsonNode n = JSON.readTree(l);
                return n.path("epoch") + " " + n.path("train_loss") + " " + n.path("test_loss") + " " + n.path("test_accuracy")
                        + " " + n.path("validation_accuracy");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }
}
