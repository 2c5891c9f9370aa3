package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes, one-line errors, the run directory. */
class TrainCommandTest {
    @TempDir Path tmp;

    record Outcome(int code, String err) { }

    static Outcome run(String... args) {
        CommandLine cli = CreditMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, err.toString());
    }

    private static void assertUserError(Outcome o, String fragment) {
        assertEquals(CreditMain.USAGE, o.code(), o.err());
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "expected one line, got: " + o.err());
        assertTrue(lines[0].startsWith("credit: error: "), o.err());
        assertTrue(o.err().contains(fragment), "expected '" + fragment + "' in: " + o.err());
        assertFalse(o.err().contains("Exception"), o.err());
    }

    @Test void unknownRule() {
        assertUserError(run("train", "--rule", "nope", "--out", tmp.resolve("r").toString()), "unknown rule 'nope'");
    }

    @Test void unknownDataset() {
        assertUserError(run("train", "--dataset", "imagenet", "--out", tmp.resolve("r").toString()), "'dataset' must be one of mnist, fmnist, kmnist, cifar10, got 'imagenet'");
    }

    @Test void badNumber() {
        assertUserError(run("train", "--epochs", "ten"), "ten");
    }

    @Test void badHiddenList() {
        assertUserError(run("train", "--hidden", "500,x"), "--hidden");
    }

    @Test void unknownFlag() {
        assertUserError(run("train", "--learning-rate", "0.1"), "--learning-rate");
    }

    @Test void missingConfigFile() {
        assertUserError(run("train", "--config", tmp.resolve("missing.json").toString()), "config file not found");
    }

    @Test void unknownRuleOption() {
        assertUserError(run("train", "--dataset", "fmnist", "--set", "sigmaa=1", "--out", tmp.resolve("r").toString()),
                "sigmaa");
    }

    @Test void missingDatasetWithoutDownload() {
        Path empty = tmp.resolve("empty");
        assertUserError(run("train", "--dataset", "kmnist", "--no-download", "--data-dir", empty.toString(),
                "--out", tmp.resolve("r").toString()), "kmnist");
    }

    @Test void corruptDatasetFile() throws Exception {
        Path dir = tmp.resolve("fmnist");
        Files.createDirectories(dir);
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            byte[] real = Files.readAllBytes(Path.of("/usr/share/datasets/fashion-mnist", f));
            Files.write(dir.resolve(f), f.startsWith("train-images") ? java.util.Arrays.copyOf(real, real.length / 2) : real);
        }
        Outcome o = run("train", "--dataset", "fmnist", "--no-download", "--data-dir", dir.toString(),
                "--out", tmp.resolve("r").toString());
        assertUserError(o, "train-images");
    }

    @Test void shortEndToEndRunOnRealFashionMnist() throws Exception {
        Path out = tmp.resolve("run");
        Outcome o = run("train", "--rule", "bp", "--dataset", "fmnist", "--hidden", "64", "--epochs", "2",
                "--set", "train_subset=3000", "--lr", "0.1", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        for (String f : List.of("config.json", "metrics.jsonl", "result.json", "curves.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals("completed", result.get("status").asText());
        JsonNode fin = result.get("final");
        assertTrue(fin.get("test_accuracy").asDouble() > 60, "accuracy " + fin.get("test_accuracy"));
        assertEquals(2, fin.get("epochs").asInt());
        assertTrue(fin.get("samples_per_second").asDouble() > 0);
        assertEquals("fmnist", result.get("provenance").get("dataset").get("name").asText());
        assertEquals(4, result.get("provenance").get("dataset").get("sha256").size());
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(2, lines.stream().filter(l -> l.contains("\"type\":\"epoch\"")).count());
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals(3000, config.get("train_subset").asInt());
        assertEquals(64, config.get("hidden").get(0).asInt());
        byte[] png = Files.readAllBytes(out.resolve("curves.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test void epochLinesCarryTheAngleToBackpropAndTheRulesOwnDiagnostics() throws Exception {
        Path out = tmp.resolve("pepita");
        Outcome o = run("train", "--rule", "pepita", "--dataset", "fmnist", "--hidden", "32", "--epochs", "1",
                "--set", "train_subset=640", "--lr", "0.01", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        JsonNode line = new ObjectMapper().readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        double fAngle = line.get("rule").get("pepita.f_angle").asDouble();
        assertTrue(fAngle > 0 && fAngle < 180, line.toString());
        double angle = line.get("angle_to_bp").get("layer0.W").asDouble();
        assertTrue(angle > 0 && angle < 180, line.toString());
    }

    @Test void sameSeedGivesIdenticalMetricsAndAnotherSeedDoesNot() throws Exception {
        String[] common = {"train", "--dataset", "fmnist", "--hidden", "32", "--epochs", "2", "--set", "train_subset=1000",
                "--threads", "1", "--quiet"};
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        assertEquals(0, run(concat(common, "--seed", "5", "--out", a.toString())).code());
        assertEquals(0, run(concat(common, "--seed", "5", "--out", b.toString())).code());
        assertEquals(0, run(concat(common, "--seed", "6", "--out", c.toString())).code());
        String ma = Files.readString(a.resolve("metrics.jsonl"));
        assertEquals(ma, Files.readString(b.resolve("metrics.jsonl")));
        assertNotEquals(ma, Files.readString(c.resolve("metrics.jsonl")));
    }

    /**
     * With 2 threads the products and convolutions run on an OpenMP team (Backend.setThreads): two runs of the same
     * seed must still write identical metrics, on a fully connected and on a convolutional network.
     */
    @Test void sameSeedAtTwoThreadsGivesIdenticalMetrics() throws Exception {
        for (String[] net : new String[][] {{"--hidden", "256,128"}, {"--set", "layers=conv8k3,relu,maxpool2,conv8k3,relu,fc10"}}) {
            String[] common = concat(new String[] {"train", "--rule", "fa", "--dataset", "fmnist", "--epochs", "1",
                    "--set", "train_subset=600", "--seed", "4", "--threads", "2", "--quiet"}, net);
            Path a = tmp.resolve("t2a" + net.length + net[1].length()), b = tmp.resolve("t2b" + net.length + net[1].length());
            assertEquals(0, run(concat(common, "--out", a.toString())).code());
            assertEquals(0, run(concat(common, "--out", b.toString())).code());
            assertEquals(Files.readString(a.resolve("metrics.jsonl")), Files.readString(b.resolve("metrics.jsonl")), net[1]);
        }
    }

    @Test void divergenceExitsWith3AndKeepsTheFiles() throws Exception {
        Path out = tmp.resolve("div");
        Outcome o = run("train", "--dataset", "fmnist", "--hidden", "32", "--epochs", "2", "--set", "train_subset=500",
                "--loss", "mse", "--set", "output_activation=linear", "--lr", "1e6", "--out", out.toString(), "--quiet");
        assertEquals(CreditMain.DIVERGED, o.code(), o.err());
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals("diverged", result.get("status").asText());
        assertTrue(Files.exists(out.resolve("config.json")));
    }

    /**
     * A run stopped after 1 epoch and resumed for 2 more writes exactly the metrics of an uninterrupted
     * 3-epoch run: rule state (feedback matrices), optimizer state (momentum) and data order all restored.
     */
    @Test void resumedRunEqualsUninterruptedRun() throws Exception {
        String[] common = {"train", "--rule", "fa", "--dataset", "fmnist", "--hidden", "32,16", "--set", "train_subset=600",
                "--optimizer", "momentum", "--lr", "0.05", "--seed", "3", "--quiet"};
        Path full = tmp.resolve("full"), part = tmp.resolve("part");
        assertEquals(0, run(concat(common, "--epochs", "3", "--out", full.toString())).code());
        assertEquals(0, run(concat(common, "--epochs", "1", "--out", part.toString())).code());
        assertTrue(Files.exists(part.resolve("checkpoints/last.zip")));
        Outcome resumed = run("train", "--resume", part.toString(), "--epochs", "3", "--quiet");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(Files.readString(full.resolve("metrics.jsonl")), Files.readString(part.resolve("metrics.jsonl")));
        String result = Files.readString(part.resolve("result.json"));
        // resuming a finished run changes nothing and says why
        assertUserError(run("train", "--resume", part.toString(), "--quiet"), "already has 3 of 3 epochs");
        assertEquals(result, Files.readString(part.resolve("result.json")));
    }

    /**
     * Plain SGD applies dense updates inside their products: a 2-thread run stopped and resumed still writes the
     * uninterrupted run's metrics (nothing of a step's products outlives it), and it trains as the 1-thread run of the
     * same seed does, up to the last bits (1024 wide, a shape whose sums may round differently per thread count).
     */
    @Test void resumedRunAtTwoThreadsEqualsUninterruptedRun() throws Exception {
        String[] common = {"train", "--rule", "bp", "--dataset", "fmnist", "--hidden", "1024", "--set", "train_subset=600",
                "--lr", "0.05", "--seed", "3", "--quiet"};
        Path full = tmp.resolve("full2"), part = tmp.resolve("part2"), one = tmp.resolve("one2");
        assertEquals(0, run(concat(common, "--threads", "2", "--epochs", "3", "--out", full.toString())).code());
        assertEquals(0, run(concat(common, "--threads", "2", "--epochs", "1", "--out", part.toString())).code());
        Outcome resumed = run("train", "--resume", part.toString(), "--epochs", "3", "--quiet");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(Files.readString(full.resolve("metrics.jsonl")), Files.readString(part.resolve("metrics.jsonl")));
        assertEquals(0, run(concat(common, "--threads", "1", "--epochs", "3", "--out", one.toString())).code());
        JsonNode two = new ObjectMapper().readTree(full.resolve("result.json").toFile()).get("final");
        JsonNode single = new ObjectMapper().readTree(one.resolve("result.json").toFile()).get("final");
        assertEquals(single.get("test_accuracy").asDouble(), two.get("test_accuracy").asDouble(), 1.0);
        assertEquals(single.get("train_loss").asDouble(), two.get("train_loss").asDouble(), 1e-3 * single.get("train_loss").asDouble());
    }

    @Test void resumeWithoutCheckpointIsAUserError() throws Exception {
        Path dir = tmp.resolve("nockpt");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"dataset\": \"fmnist\", \"hidden\": [8], \"train_subset\": 100}");
        assertUserError(run("train", "--resume", dir.toString()), "no checkpoint");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
