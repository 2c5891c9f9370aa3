package org.creditlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.creditlab.sweep.Cell;
import org.creditlab.sweep.CellState;
import org.creditlab.sweep.SweepDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep through a real Slurm (scripts/slurm-local.sh starts munged, slurmctld and slurmd on this machine; setup.sh
 * installs them): six tiny cells on the bundled MNIST sample as an sbatch array, two at a time; one array task is
 * cancelled with scancel mid-run; running the sweep again resumes that cell from its checkpoint; and every cell
 * ends with the metrics of the same cells run by the local executor. Not skipped when Slurm is missing: it fails.
 */
class SlurmSweepIT {
    private static final Path JAR = Path.of("target", "credit.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean startedHere;

    record Run(int code, String out) { }

    static Run exec(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Run credit(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, 600);
    }

    @BeforeAll static void startSlurm() throws Exception {
        startedHere = exec(List.of("bash", "scripts/slurm-local.sh", "status"), 30).code() != 0;
        Run start = exec(List.of("bash", "scripts/slurm-local.sh", "start"), 120);
        assertEquals(0, start.code(), "scripts/slurm-local.sh start: " + start.out());
        Run sinfo = exec(List.of("sinfo", "-h", "-o", "%T"), 30);
        assertEquals(0, sinfo.code(), sinfo.out());
    }

    @AfterAll static void stopSlurm() throws Exception {
        if (startedHere) exec(List.of("bash", "scripts/slurm-local.sh", "stop"), 60);
    }

    @Test void aSweepRunsOnSlurmSurvivesScancelAndMatchesALocalRun(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("slurm-it.json");
        Files.writeString(file, ("{'name': 'slurm-it', 'base': {'dataset': 'mnist', 'hidden': [8], 'epochs': 4, 'train_subset': 3000,"
                + " 'validation': 200, 'download': false, 'train_accuracy_examples': 0, 'batch_size': 50, 'eval_batch_size': 500},"
                + " 'grid': {'rule': ['bp', 'fa']}, 'seeds': [1, 2, 3], 'slurm': {'cpus': 1, 'mem': '2G', 'max_running': 2}}").replace('\'', '"'));
        Path dir = tmp.resolve("slurm");
        Run submit = credit("sweep", "run", file.toString(), "--out", dir.toString(), "--executor", "slurm");
        assertEquals(0, submit.code(), submit.out());
        Matcher m = Pattern.compile("submitted Slurm job (\\d+): 6 cell").matcher(submit.out());
        assertTrue(m.find(), submit.out());
        String job = m.group(1);
        String script = Files.readString(dir.resolve("slurm").resolve("submit-1.sbatch"));
        assertTrue(script.contains("#SBATCH --array=0-5%2"), script);

        SweepDirectory sweep = SweepDirectory.open(dir);
        Cell victim = awaitRunningCell(sweep);
        Run cancel = exec(List.of("scancel", job + "_" + victim.index()), 30);
        assertEquals(0, cancel.code(), cancel.out());
        awaitJobGone(job);
        CellState killed = CellState.of(sweep, victim);
        assertEquals(CellState.Status.INTERRUPTED, killed.status(), killed.toString());
        assertTrue(killed.epochs() < 4, killed.toString());
        assertTrue(Files.exists(dir.resolve("logs").resolve("slurm-" + job + "_" + victim.index() + ".log")), "per-task log");

        Run again = credit("sweep", "run", file.toString(), "--out", dir.toString(), "--executor", "slurm", "--wait", "--poll", "1");
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("6 cells: 6 completed"), again.out());
        JsonNode resumed = JSON.readTree(sweep.runDir(victim).resolve("result.json").toFile());
        assertTrue(resumed.path("resumes").size() >= 1, "the cancelled cell resumed from its checkpoint: " + resumed);

        Path local = tmp.resolve("local");
        Run localRun = credit("sweep", "run", file.toString(), "--out", local.toString(), "--executor", "local", "--jobs", "2");
        assertEquals(0, localRun.code(), localRun.out());
        SweepDirectory reference = SweepDirectory.open(local);
        for (Cell c : sweep.cells()) {
            assertEquals("completed", JSON.readTree(sweep.runDir(c).resolve("result.json").toFile()).path("status").asText(), c.name());
            assertEquals(epochLines(reference.runDir(c)), epochLines(sweep.runDir(c)), c.name());
        }
    }

    /** The first cell seen running with at least one epoch done (of four). */
    private static Cell awaitRunningCell(SweepDirectory sweep) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            for (Cell c : sweep.cells()) {
                Path r = sweep.runDir(c).resolve("result.json");
                if (!Files.exists(r)) continue;
                JsonNode n;
                try {
                    n = JSON.readTree(r.toFile());
                } catch (IOException racingRename) {
                    continue;
                }
                int epochs = n.path("final").path("epochs").asInt();
                if ("running".equals(n.path("status").asText()) && epochs >= 1 && epochs < 3) return c;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no cell was seen running mid-way");
    }

    private static void awaitJobGone(String job) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            Run q = exec(List.of("squeue", "-h", "-j", job, "-o", "%i"), 30);
            if (q.code() != 0 || q.out().isBlank()) return;
            Thread.sleep(500);
        }
        throw new AssertionError("job " + job + " still queued");
    }

    private static List<String> epochLines(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(l);
            if (!"epoch".equals(n.path("type").asText())) continue;
            out.add(n.path("epoch") + " " + n.path("train_loss") + " " + n.path("test_loss") + " " + n.path("test_accuracy")
                    + " " + n.path("validation_accuracy"));
        }
        return out;
    }
}
