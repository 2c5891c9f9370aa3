package org.creditlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.creditlab.cli.CreditMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's side of run safety: the order of checkpoints and reports that makes a run killed at any
 * point resumable, and {@link Trainer#requestStop} part-way through an epoch.
 */
class TrainerStopTest {
    @TempDir Path tmp;

    private static RunConfig config() {
        RunConfig c = new RunConfig();
        c.rule = "fa";
        c.dataset = "mnist";
        c.download = false;
        c.hidden = new ArrayList<>(List.of(16));
        c.trainSubset = 600;
        c.batchSize = 20; // 30 steps per epoch
        c.epochs = 3;
        c.optimizer = "momentum";
        c.lr = 0.01;
        c.seed = 5;
        c.diagnosticsEvery = 7;
        return c;
    }

    @Test void checkpointsComeBeforeAnythingIsReportedAndAfterEachEpochsLines() {
        Trainer.Session session = Experiment.prepare(config(), w -> { });
        List<String> order = new ArrayList<>();
        RunListener recorder = new RunListener() {
            @Override public void onCheckpoint(Checkpoint.Position p) { order.add("checkpoint " + p.epochsDone() + "/" + p.step()); }
            @Override public void onStart(RunInfo run) { order.add("start"); }
            @Override public void onEpoch(EpochMetrics m) { order.add("epoch " + m.epoch()); }
            @Override public void onProgress(RunResult r) { order.add("result " + r.status() + " " + r.finalMetrics().epochs()); }
            @Override public void onEnd(RunResult r) { order.add("end " + r.status()); }
        };
        new Trainer(session, List.of(recorder)).run();
        assertEquals(List.of("checkpoint 0/0", "start", "result running 0",
                "epoch 1", "checkpoint 1/30", "result running 1",
                "epoch 2", "checkpoint 2/60", "result running 2",
                "epoch 3", "checkpoint 3/90", "end completed"), order);
    }

    /** Runs {@link #config()} into {@code dir} as the CLI would; stops after {@code stopAfterStep} steps if > 0. */
    private static RunResult run(Path dir, long stopAfterStep) {
        RunConfig cfg = config();
        cfg.out = dir.toString();
        try (RunLock lock = RunDirectory.claimNew(dir, false, null)) {
            Trainer.Session session = Experiment.prepare(cfg, w -> { });
            Trainer[] trainer = new Trainer[1];
            RunListener stopper = new RunListener() {
                @Override public void onStep(long step, int epoch, int batch, int batchesPerEpoch, double loss) {
                    if (step == stopAfterStep) trainer[0].requestStop("stopped by the test");
                }
            };
            trainer[0] = new Trainer(session, List.of(new RunDirectory(dir), new CheckpointWriter(session, dir), stopper));
            return trainer[0].run();
        }
    }

    @Test void aStopPartWayThroughAnEpochIsCheckpointedThereAndResumesBitForBit() throws Exception {
        Path full = tmp.resolve("full");
        assertEquals(RunResult.COMPLETED, run(full, 0).status());

        Path part = tmp.resolve("part");
        RunResult stopped = run(part, 46);
        assertEquals(RunResult.INTERRUPTED, stopped.status());
        assertEquals("stopped by the test during epoch 2 after 16 of 30 batches (step 46, checkpointed); resume with --resume",
                stopped.message());
        assertEquals(1, stopped.finalMetrics().epochs());
        assertEquals(46, stopped.finalMetrics().steps());
        ObjectMapper json = new ObjectMapper();
        try (ZipFile zip = new ZipFile(part.resolve(Checkpoint.FILE).toFile())) {
            JsonNode position = json.readTree(zip.getInputStream(zip.getEntry("position.json")));
            assertEquals(1, position.get("epochs_done").asInt());
            assertEquals(46, position.get("step").asLong());
            assertEquals(16, position.get("batches_done").asInt());
            assertTrue(position.get("epoch_loss_sum").asDouble() > 0, position.toString());
        }
        JsonNode result = json.readTree(part.resolve("result.json").toFile());
        assertEquals("interrupted", result.get("status").asText());
        // the alignment lines of the 16 steps before the stop are in metrics.jsonl; resuming must not repeat them
        assertTrue(Files.readString(part.resolve("metrics.jsonl")).contains("\"step\":42"), "diagnostics of epoch 2 were logged");

        assertEquals(0, CreditMain.execute("train", "--resume", part.toString(), "--quiet"));
        assertEquals(Files.readString(full.resolve("metrics.jsonl")), Files.readString(part.resolve("metrics.jsonl")));
    }
}
