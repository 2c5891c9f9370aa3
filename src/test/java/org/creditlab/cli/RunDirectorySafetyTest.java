package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, items 1-4 through the command line: existing run directories are never silently replaced,
 * {@code --resume} continues only what can honestly continue and records every resume, and temporary files
 * of a killed run do not survive the next start.
 */
class RunDirectorySafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    /** A run of a second or less on the bundled MNIST sample. */
    private static String[] small(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--rule", "bp", "--dataset", "mnist", "--no-download",
                "--hidden", "8", "--set", "train_subset=300", "--batch-size", "30", "--quiet", "--out", out.toString()));
        if (!List.of(more).contains("--epochs")) args.addAll(List.of("--epochs", "1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static void assertUserError(TrainCommandTest.Outcome o, String fragment) {
        assertEquals(CreditMain.USAGE, o.code(), o.err());
        // warnings before the error (the bundled MNIST sample is used) are not part of it
        String[] lines = o.err().strip().lines().filter(l -> !l.startsWith("credit: warning: ")).toArray(String[]::new);
        assertEquals(1, lines.length, "expected one line, got: " + o.err());
        assertTrue(lines[0].startsWith("credit: error: "), o.err());
        assertTrue(o.err().contains(fragment), "expected '" + fragment + "' in: " + o.err());
        assertFalse(o.err().contains("Exception"), o.err());
    }

    /** Every file of the run with its bytes, to show that a refused command changed nothing. */
    private static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(dir.relativize(p).toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return files;
    }

    private static JsonNode json(Path file) throws Exception {
        return JSON.readTree(file.toFile());
    }

    @Test void aFinishedRunIsRefusedAndOverwriteReplacesOnlyItsFiles() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(small(out, "--seed", "1", "--set", "diagnostics_every=3")).code());
        assertTrue(Files.exists(out.resolve("alignment.png")));
        Map<String, String> before = snapshot(out);

        assertUserError(TrainCommandTest.run(small(out, "--seed", "2")),
                "run directory " + out + " already holds a run (status completed, 1 epochs); pass --overwrite");
        assertEquals(before, snapshot(out), "a refused run changes nothing");

        Files.writeString(out.resolve("notes.txt"), "the user's own file");
        assertEquals(0, TrainCommandTest.run(small(out, "--seed", "2", "--overwrite")).code());
        assertEquals(2, json(out.resolve("config.json")).get("seed").asLong());
        assertEquals(2, json(out.resolve("result.json")).get("provenance").get("seed").asLong());
        assertFalse(Files.exists(out.resolve("alignment.png")), "the old run's files do not linger in the new one");
        assertEquals("the user's own file", Files.readString(out.resolve("notes.txt")));
    }

    @Test void anEmptyOrFileOutIsRejected() throws Exception {
        assertUserError(TrainCommandTest.run(small(Path.of(""))), "--out must name a directory, got an empty path");
        assertFalse(Files.exists(Path.of("config.json")), "nothing is written into the current directory");
        assertUserError(TrainCommandTest.run("train", "--resume", ""), "--resume must name a run directory");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertUserError(TrainCommandTest.run(small(file)), "--out " + file + " is a file, not a directory");
    }

    @Test void theConfigBeingReadIsNeverOverwritten() throws Exception {
        Path myexp = Files.createDirectories(tmp.resolve("myexp"));
        String mine = "{\"dataset\": \"mnist\", \"hidden\": [8], \"train_subset\": 300, \"epochs\": 1, \"download\": false}\n";
        Path config = Files.writeString(myexp.resolve("config.json"), mine);
        assertUserError(TrainCommandTest.run("train", "--config", config.toString(), "--out", myexp.toString(), "--quiet"),
                "--config " + config + " is the config.json that the run in " + myexp + " would overwrite");
        assertUserError(TrainCommandTest.run("train", "--config", config.toString(), "--out", myexp.toString(), "--overwrite",
                "--quiet"), "would overwrite");
        assertEquals(mine, Files.readString(config));
        // no run file was written (the hidden .lock file of the attempt stays: deleting lock files is unsafe)
        assertEquals(List.of(".lock", "config.json"), Files.list(myexp).map(p -> p.getFileName().toString()).sorted().toList());

        // the documented way to repeat a run: its config.json into a new directory
        Path again = tmp.resolve("again");
        assertEquals(0, TrainCommandTest.run("train", "--config", config.toString(), "--out", again.toString(), "--quiet").code());
        assertEquals(mine, Files.readString(config));
    }

    @Test void resumeRefusesEveryKeyThatCannotHonestlyContinue() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(small(out)).code());
        Map<String, String> before = snapshot(out);
        String[][] changes = {
                {"rule", "--rule", "fa"}, {"dataset", "--dataset", "fmnist"}, {"hidden", "--hidden", "16"},
                {"loss", "--loss", "mse"}, {"network", "--network", "linfc"}, {"lr", "--lr", "0.5"},
                {"batch_size", "--batch-size", "10"}, {"seed", "--seed", "9"}, {"optimizer", "--optimizer", "adam"},
                {"train_subset", "--set", "train_subset=100"}, {"momentum", "--set", "momentum=0.5"},
        };
        for (String[] c : changes) {
            assertUserError(TrainCommandTest.run("train", "--resume", out.toString(), "--epochs", "2", c[1], c[2]),
                    "--resume cannot change '" + c[0] + "'");
        }
        assertUserError(TrainCommandTest.run("train", "--resume", out.toString(), "--overwrite"), "--overwrite starts a new run");
        assertEquals(before, snapshot(out), "refused resumes change nothing");
    }

    @Test void everyResumeIsRecordedWithWhatChanged() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(small(out)).code());
        assertEquals(0, TrainCommandTest.run("train", "--resume", out.toString(), "--epochs", "2", "--quiet").code());
        assertEquals(0, TrainCommandTest.run("train", "--resume", out.toString(), "--epochs", "3", "--threads", "2", "--quiet").code());
        JsonNode result = json(out.resolve("result.json"));
        assertEquals("completed", result.get("status").asText());
        assertEquals(3, result.get("final").get("epochs").asInt());
        JsonNode resumes = result.get("resumes");
        assertEquals(2, resumes.size(), result.toString());
        assertEquals(1, resumes.get(0).get("from_epoch").asInt());
        assertEquals("completed", resumes.get(0).get("previous_status").asText());
        assertEquals(JSON.readTree("{\"epochs\": {\"from\": 1, \"to\": 2}}"), resumes.get(0).get("changed"));
        assertEquals(2, resumes.get(1).get("from_epoch").asInt());
        assertEquals(JSON.readTree("{\"epochs\": {\"from\": 2, \"to\": 3}, \"threads\": {\"from\": 1, \"to\": 2}}"),
                resumes.get(1).get("changed"));
        assertEquals(2, result.get("provenance").get("threads").asInt());
        assertEquals(3, json(out.resolve("config.json")).get("epochs").asInt());
    }

    @Test void aDivergedRunIsResumedOnlyWhenAsked() throws Exception {
        Path out = tmp.resolve("div");
        String[] diverging = {"train", "--dataset", "mnist", "--no-download", "--hidden", "8", "--epochs", "2",
                "--set", "train_subset=300", "--loss", "mse", "--set", "output_activation=linear", "--lr", "1e6",
                "--out", out.toString(), "--quiet"};
        assertEquals(CreditMain.DIVERGED, TrainCommandTest.run(diverging).code());
        Map<String, String> before = snapshot(out);
        assertUserError(TrainCommandTest.run("train", "--resume", out.toString()),
                "div diverged (loss ");
        assertUserError(TrainCommandTest.run("train", "--resume", out.toString()), "--resume-diverged");
        assertEquals(before, snapshot(out));
        assertUserError(TrainCommandTest.run(small(tmp.resolve("other"), "--resume-diverged")), "--resume-diverged goes with --resume");

        // asked: the non-finite network diverges again, and result.json says it was a resume of a diverged run
        assertEquals(CreditMain.DIVERGED, TrainCommandTest.run("train", "--resume", out.toString(), "--resume-diverged",
                "--epochs", "3", "--quiet").code());
        JsonNode result = json(out.resolve("result.json"));
        assertEquals("diverged", result.get("status").asText());
        assertEquals("diverged", result.get("resumes").get(0).get("previous_status").asText());
    }

    @Test void resumeRefusesDataOtherThanTheRunWasTrainedOn() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(small(out)).code());
        Path result = out.resolve("result.json");
        // as if the run had been trained on other files (e.g. full MNIST, now found where the sample was)
        Files.writeString(result, Files.readString(result).replace("\"sample\"", "\"full\""));
        assertUserError(TrainCommandTest.run("train", "--resume", out.toString(), "--epochs", "2"),
                "but the run was trained on the full variant");
    }

    @Test void staleTempFilesOfAKilledRunAreRemovedOnResume() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(small(out)).code());
        List<Path> stale = List.of(out.resolve(".result.json8412.tmp"), out.resolve(".curves.png77.tmp"),
                out.resolve(".metrics.jsonl5.tmp"), out.resolve("checkpoints/.last.zip123456.tmp"));
        for (Path p : stale) Files.writeString(p, "half-written");
        Path usersOwn = Files.writeString(out.resolve(".notes.tmp"), "not credit's");
        assertEquals(0, TrainCommandTest.run("train", "--resume", out.toString(), "--epochs", "2", "--quiet").code());
        for (Path p : stale) assertFalse(Files.exists(p), p + " survived the resume");
        assertTrue(Files.exists(usersOwn), "only credit's own temporary files are removed");
    }

    /**
     * Killed after its last checkpoint but before result.json said completed (the fault test meets this):
     * resuming has no epoch to train and finishes the run from its metrics instead of refusing it.
     */
    @Test void aRunKilledAfterItsLastCheckpointIsFinishedByResume() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(small(out, "--epochs", "2")).code());
        JsonNode done = json(out.resolve("result.json"));
        Path result = out.resolve("result.json");
        Files.writeString(result, Files.readString(result).replace("\"completed\"", "\"running\""));
        Files.writeString(out.resolve(".curves.png31.tmp"), "the plot being written when the kill came");
        assertEquals(0, TrainCommandTest.run("train", "--resume", out.toString(), "--quiet").code());
        JsonNode finished = json(result);
        assertEquals("completed", finished.get("status").asText());
        assertEquals(done.get("final").get("test_accuracy"), finished.get("final").get("test_accuracy"));
        assertEquals(2, finished.get("final").get("epochs").asInt());
        assertEquals("running", finished.get("resumes").get(0).get("previous_status").asText());
        assertFalse(Files.exists(out.resolve(".curves.png31.tmp")));
        // a completed run has nothing left to finish
        assertUserError(TrainCommandTest.run("train", "--resume", out.toString()), "already has 2 of 2 epochs");
    }

    @Test void aRunThatFailsBeforeStartingLeavesNoDirectory() {
        Path out = tmp.resolve("never");
        assertUserError(TrainCommandTest.run("train", "--dataset", "kmnist", "--no-download", "--data-dir",
                tmp.resolve("nothing").toString(), "--out", out.toString()), "kmnist");
        assertFalse(Files.exists(out), "a run directory created for a run that could not start is removed");
    }
}
