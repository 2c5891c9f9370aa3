package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.creditlab.experiment.ConfigKeys;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.rules.RuleOption;
import org.creditlab.rules.RuleRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's config handling (issue 12, items 6 to 12 and the papercuts), in process. */
class ConfigCliTest {
    @TempDir Path tmp;

    record Outcome(int code, String out, String err) { }

    static Outcome run(String... args) {
        CommandLine cli = CreditMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    /** A small real run on Fashion-MNIST (300 training examples, one epoch). */
    private Outcome train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "fmnist", "--no-download", "--hidden", "16",
                "--epochs", "1", "--set", "train_subset=300", "--out", out.toString(), "--quiet"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    private static void assertOneLineUserError(Outcome o, String fragment) {
        assertEquals(CreditMain.USAGE, o.code(), o.err());
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "expected one line, got: " + o.err());
        assertTrue(lines[0].startsWith("credit: error: "), o.err());
        assertTrue(o.err().contains(fragment), "expected '" + fragment + "' in: " + o.err());
        for (String internal : List.of("Exception", "JsonToken", "Source:", "jackson")) assertFalse(o.err().contains(internal), o.err());
    }

    @Test void badValuesOnTheCommandLineAreOneLineAndExit2() {
        String out = tmp.resolve("never").toString();
        String[][] cases = {
                {"--threads", "10000", "'threads' must be a whole number in [1, "},              // item 6
                {"--hidden", ",,", "'hidden' must be a comma-separated list"},                     // item 9
                {"--hidden", "", "none for an empty list"},                                        // item 9
                {"--weight-decay", "NaN", "--weight-decay: 'weight_decay' must be a number in [0, 1), got NaN"}, // item 10
                {"--weight-decay", "2", "'weight_decay' must be a number in [0, 1), got 2"},
                {"--set", "momentum=5", "--set momentum=5: 'momentum' must be a number in [0, 1), got 5"},
                {"--set", "lr_gamma=-1", "'lr_gamma' must be a positive number, got -1"},
                {"--set", "crash_threshold=NaN", "'crash_threshold' must be a number in (0, 100], got NaN"},
                {"--set", "target_offset=NaN", "'target_offset' must be a number in [0, 1), got NaN"},
                {"--activation", "softmax", "'activation' must be one of relu, tanh, sigmoid, linear, got 'softmax'"},
                {"--epochs", "1.5", "--epochs: 'epochs' must be a whole number >= 1, got 1.5"},
                {"--epochs", "ten", "'epochs' must be a whole number >= 1, got 'ten'"},
                {"--network", "convnet", "one of fc, linfc, fc-ntk, conv, conv-large, lenet, pepita-conv, conv-ntk, custom"},
                {"--set", "sigmaa=1", "unknown option sigmaa for rule bp"},
        };
        for (String[] c : cases) {
            assertOneLineUserError(run("train", c[0], c[1], "--out", out), c[2]);
        }
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test void item6BenchThreadsAreBoundedToo() {
        ConfigCliTest.Outcome o = run("bench", "--threads", "10000", "--rules", "bp", "--hidden", "8");
        assertOneLineUserError(o, "--threads: at most ");
        assertEquals("", o.out());
    }

    @Test void item10DuplicateKeysAndFractionalEpochsInAConfigFileAreRejected() throws Exception {
        Path f = tmp.resolve("dup.json");
        Files.writeString(f, "{\"lr\": 0.1,\n \"lr\": 0.2}");
        assertOneLineUserError(run("train", "--config", f.toString()), "key 'lr' appears twice (line 2)");
        Files.writeString(f, "{\"epochs\": 1.5}");
        assertOneLineUserError(run("train", "--config", f.toString()), "config file " + f + ": 'epochs' must be a whole number >= 1, got 1.5");
    }

    @Test void item11ABadSetNextToAConfigFileBlamesTheSet() throws Exception {
        Path f = tmp.resolve("ok.json");
        Files.writeString(f, "{\"lr\": 0.05}");
        Outcome o = run("train", "--config", f.toString(), "--set", "lr_milestones=x");
        assertOneLineUserError(o, "--set lr_milestones=x: 'lr_milestones' must be a comma-separated list of whole numbers >= 0");
        assertFalse(o.err().contains("ok.json"), o.err());
    }

    @Test void item11OneValueForAListKeyWorks() throws Exception {
        Path out = tmp.resolve("one");
        Outcome o = train(out, "--set", "hidden=24", "--set", "lr_milestones=1");
        assertEquals(0, o.code(), o.err());
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("[24]", cfg.get("hidden").toString());
        assertEquals("[1]", cfg.get("lr_milestones").toString());
    }

    @Test void item8ABatchLargerThanTheTrainingSetIsClampedWithAWarning() throws Exception {
        Path out = tmp.resolve("big-batch");
        Outcome o = train(out, "--batch-size", "2147483000");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("batch_size 2147483000 is larger than the training set (300 examples): using 300"), o.err());
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals(300, cfg.get("batch_size").asInt());
        JsonNode line = new ObjectMapper().readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        assertTrue(line.get("train_loss").isNumber(), line.toString());
        assertEquals(1, line.get("step").asInt());
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertTrue(result.get("final").get("train_loss").isNumber(), result.toString());
    }

    @Test void epochLinesCarryTrainAccuracy() throws Exception {
        Path out = tmp.resolve("acc");
        assertEquals(0, train(out, "--set", "train_accuracy_examples=200").code());
        JsonNode line = new ObjectMapper().readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        double acc = line.get("train_accuracy").asDouble();
        assertTrue(acc > 0 && acc <= 100, line.toString());
        // 200 examples: a multiple of 0.5 %
        assertEquals(0, (acc * 2) % 1, 1e-9, line.toString());
        Path off = tmp.resolve("acc-off");
        assertEquals(0, train(off, "--set", "train_accuracy_examples=0").code());
        assertFalse(Files.readString(off.resolve("metrics.jsonl")).contains("train_accuracy"));
    }

    @Test void item12ALossAboveTheCeilingEndsAsDivergedWithExit3() throws Exception {
        Path out = tmp.resolve("ceiling");
        // cross-entropy starts near ln 10 = 2.3: a ceiling of 0.5 is crossed at the first step, without any NaN
        Outcome o = train(out, "--set", "loss_ceiling=0.5");
        assertEquals(CreditMain.DIVERGED, o.code(), o.err());
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals("diverged", result.get("status").asText());
        assertTrue(result.get("message").asText().contains("exceeded loss_ceiling 0.5"), result.toString());
    }

    @Test void item12AlignRulesOnFcGetAHint() {
        Outcome o = train(tmp.resolve("align"), "--rule", "align-zero", "--network", "fc");
        assertTrue(o.err().contains("align-zero is meant for --network fc-ntk (its default)"), o.err());
        Outcome ntk = train(tmp.resolve("align-ntk"), "--rule", "align-zero");
        assertFalse(ntk.err().contains("is meant for"), ntk.err());
    }

    @Test void item7AHugeNetworkIsRefusedBeforeAllocating() {
        assertOneLineUserError(run("train", "--dataset", "fmnist", "--no-download", "--hidden", "100000000",
                "--out", tmp.resolve("huge").toString()), "network fc100000000,act,fc10 needs about");
    }

    @Test void aRepeatedFlagTakesItsLastValue() throws Exception {
        Path out = tmp.resolve("repeat");
        assertEquals(0, train(out, "--epochs", "3", "--epochs", "1", "--hidden", "8").code());
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals(1, cfg.get("epochs").asInt());
        assertEquals("[8]", cfg.get("hidden").toString());
    }

    @Test void trainHelpListsTheNetworkKindsAndEveryConfigKey() {
        Outcome o = run("train", "--help");
        assertEquals(0, o.code());
        // the list wraps across help lines: compare with white space folded
        assertTrue(o.out().contains("--network=KIND") && o.out().replaceAll("\\s+", " ").contains(String.join(", ", NetworkSpec.KINDS)), o.out());
        for (String k : ConfigKeys.names()) assertTrue(o.out().contains("\n  " + k + " "), k + " missing from:\n" + o.out());
        for (ConfigKeys.KeyInfo k : ConfigKeys.withFlags()) assertTrue(o.out().contains(k.flag()), k.flag());
    }

    @Test void rulesRuleShowsThatRulesOptionsWithTypesDefaultsAndDocs() {
        Outcome o = run("rules", "np");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("config defaults (override with flags or --set): loss=mse, lr=0.02"), o.out());
        for (RuleOption opt : RuleRegistry.get("np").options()) {
            assertTrue(o.out().lines().anyMatch(l -> l.contains(opt.name()) && l.contains(opt.typeText())
                    && l.contains(opt.defaultString()) && l.contains(opt.doc())), opt.name() + " in:\n" + o.out());
        }
        assertTrue(run("rules", "nodepert").out().startsWith("np: "));
        assertTrue(run("rules", "fa").out().contains("options: none"));
        assertTrue(run("rules", "kp").out().contains("the run's lr"));
        assertOneLineUserError(run("rules", "nope"), "unknown rule 'nope'");
        Outcome all = run("rules");
        assertTrue(all.out().contains("'credit rules RULE'"), all.out());
    }

    @Test void keysMarkdownPrintsTheGeneratedTable() {
        Outcome o = run("keys", "--markdown");
        assertEquals(0, o.code());
        assertEquals(ConfigKeys.markdownTable(), o.out().replace("\r\n", "\n"));
    }
}
