package org.creditlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key declarations and what the resolver does with them (issue 12, items 6, 9, 10, 11). */
class ConfigKeysTest {
    @TempDir Path tmp;

    private static RunConfig resolve(Path file, String... sets) {
        ConfigResolver.Overrides o = new ConfigResolver.Overrides();
        for (String s : sets) o.set(s);
        return ConfigResolver.resolve(file, o);
    }

    /** The message of the UserError, checked to name the key, the bad value and what is expected, with no Jackson in it. */
    private static String rejected(Runnable r, String key, String value, String expected) {
        UserError e = assertThrows(UserError.class, r::run);
        String m = e.getMessage();
        assertTrue(m.contains("'" + key + "'"), m);
        assertTrue(m.contains(value), m);
        assertTrue(m.contains(expected), m);
        for (String internal : List.of("Jackson", "JsonToken", "Source:", "com.fasterxml", "Exception", "\n")) {
            assertFalse(m.contains(internal), m);
        }
        return m;
    }

    @Test void everyFieldIsADeclaredKeyWithADocAndItsDefaultPassesItsOwnCheck() {
        int fields = 0;
        for (Field f : RunConfig.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            fields++;
            assertNotNull(f.getAnnotation(Key.class), f.getName());
        }
        assertEquals(fields, ConfigKeys.all().size());
        for (ConfigKeys.KeyInfo k : ConfigKeys.all()) {
            assertFalse(k.doc().isBlank(), k.name());
            k.check(k.defaultValue());
        }
        // names are config.json's names
        assertEquals(ConfigResolver.JSON.valueToTree(new RunConfig()).size(), ConfigKeys.names().size());
        ConfigResolver.JSON.valueToTree(new RunConfig()).fieldNames().forEachRemaining(n -> assertNotNull(ConfigKeys.get(n), n));
    }

    @Test void item6ThreadsAreBoundedBeforeNd4jStarts() {
        rejected(() -> resolve(null, "threads=10000"), "threads", "10000", "a whole number in [1, " + RunConfig.maxThreads() + "]");
        rejected(() -> resolve(null, "threads=0"), "threads", "0", "[1,");
        assertEquals(RunConfig.maxThreads(), resolve(null, "threads=" + RunConfig.maxThreads()).threads);
        assertTrue(RunConfig.maxThreads() >= Runtime.getRuntime().availableProcessors());
    }

    @Test void item9EmptyHiddenListsAreRejectedAndNoneMeansNoHiddenLayer() {
        rejected(() -> resolve(null, "hidden=,,"), "hidden", ",,", "comma-separated list of whole numbers >= 1");
        rejected(() -> resolve(null, "hidden="), "hidden", "''", "none for an empty list");
        rejected(() -> resolve(null, "hidden=500,,500"), "hidden", "500,,500", "whole numbers");
        rejected(() -> resolve(null, "hidden=500,0"), "hidden", "[500,0]", "whole numbers >= 1");
        assertEquals(List.of(), resolve(null, "hidden=none").hidden);
        assertEquals(List.of(), resolve(null, "hidden=[]").hidden);
    }

    @Test void item10NanAndOutOfRangeValuesAreRejected() throws Exception {
        rejected(() -> resolve(null, "weight_decay=NaN"), "weight_decay", "NaN", "a number in [0, 1)");
        rejected(() -> resolve(null, "weight_decay=2"), "weight_decay", "2", "a number in [0, 1)");
        rejected(() -> resolve(null, "momentum=5"), "momentum", "5", "a number in [0, 1)");
        rejected(() -> resolve(null, "lr_gamma=-1"), "lr_gamma", "-1", "a positive number");
        rejected(() -> resolve(null, "crash_threshold=NaN"), "crash_threshold", "NaN", "a number in (0, 100]");
        rejected(() -> resolve(null, "target_offset=NaN"), "target_offset", "NaN", "a number in [0, 1)");
        rejected(() -> resolve(null, "lr=Infinity"), "lr", "Infinity", "a positive number");
        rejected(() -> resolve(null, "activation=softmax"), "activation", "softmax", "one of relu, tanh, sigmoid, linear");
        rejected(() -> resolve(null, "network=convnet"), "network", "convnet", "one of fc, linfc, fc-ntk, conv, conv-large, lenet, pepita-conv, conv-ntk, custom");
        rejected(() -> resolve(null, "bias=maybe"), "bias", "maybe", "true or false");
        Path f = tmp.resolve("c.json");
        Files.writeString(f, "{\"epochs\": 1.5}");
        String m = rejected(() -> resolve(f), "epochs", "1.5", "a whole number >= 1");
        assertTrue(m.startsWith("config file " + f), m);
        Files.writeString(f, "{\"epochs\": \"3\"}");
        rejected(() -> resolve(f), "epochs", "'3'", "a whole number");
        Files.writeString(f, "{\"batch_size\": 3000000000}");
        rejected(() -> resolve(f), "batch_size", "3000000000", "at most 2147483647");
        Files.writeString(f, "{\"lr\": 0.1,\n \"lr\": 0.2}");
        UserError dup = assertThrows(UserError.class, () -> resolve(f));
        assertTrue(dup.getMessage().contains("'lr' appears twice (line 2)"), dup.getMessage());
        Files.writeString(f, "{\"rule\": \"np\", \"rule_options\": {\"sigma\": 1e-4, \"sigma\": 1e-5}}");
        assertThrows(UserError.class, () -> resolve(f));
    }

    @Test void item10ALibraryUsersConfigIsCheckedByTheSameDeclarations() {
        RunConfig c = new RunConfig();
        c.momentum = 5;
        UserError e = assertThrows(UserError.class, () -> ConfigResolver.validate(c));
        assertTrue(e.getMessage().contains("'momentum' must be a number in [0, 1), got 5.0"), e.getMessage());
        RunConfig d = new RunConfig();
        d.weightDecay = Double.NaN;
        assertThrows(UserError.class, () -> ConfigResolver.validate(d));
        RunConfig h = new RunConfig();
        h.activation = "softmax";
        assertThrows(UserError.class, () -> ConfigResolver.validate(h));
    }

    @Test void item11OneValueForAListKeyIsAOneElementList() throws Exception {
        RunConfig c = resolve(null, "hidden=64", "lr_milestones=1");
        assertEquals(List.of(64), c.hidden);
        assertEquals(List.of(1), c.lrMilestones);
        Path f = tmp.resolve("one.json");
        Files.writeString(f, "{\"hidden\": 64, \"lr_milestones\": 2}");
        RunConfig g = resolve(f);
        assertEquals(List.of(64), g.hidden);
        assertEquals(List.of(2), g.lrMilestones);
        assertEquals(List.of(60, 90), resolve(null, "lr_milestones=60,90").lrMilestones);
    }

    @Test void item11ABadSetIsBlamedOnTheCommandLineNotOnTheConfigFile() throws Exception {
        Path f = tmp.resolve("good.json");
        Files.writeString(f, "{\"lr\": 0.1, \"momentum\": 0.5}");
        String m = rejected(() -> resolve(f, "momentum=5"), "momentum", "5", "[0, 1)");
        assertTrue(m.startsWith("--set momentum=5:"), m);
        assertFalse(m.contains(f.toString()), m);
        String n = rejected(() -> resolve(f, "epochs=lots"), "epochs", "lots", "a whole number >= 1");
        assertTrue(n.startsWith("--set epochs=lots:"), n);
        // and a flag is blamed as the flag
        ConfigResolver.Overrides o = new ConfigResolver.Overrides().flag("weight_decay", "--weight-decay", "NaN");
        UserError e = assertThrows(UserError.class, () -> ConfigResolver.resolve(f, o));
        assertTrue(e.getMessage().startsWith("--weight-decay: 'weight_decay' must be a number in [0, 1), got NaN"), e.getMessage());
        // while a bad value in the file is blamed on the file
        Files.writeString(f, "{\"momentum\": 5}");
        assertTrue(rejected(() -> resolve(f, "lr=0.1"), "momentum", "5", "[0, 1)").startsWith("config file " + f + ":"));
    }

    @Test void unknownKeysInAFileAreNamedWithASuggestion() throws Exception {
        Path f = tmp.resolve("typo.json");
        Files.writeString(f, "{\"batchsize\": 10}");
        UserError e = assertThrows(UserError.class, () -> resolve(f));
        assertTrue(e.getMessage().contains("unknown config key 'batchsize' (did you mean 'batch_size'?)"), e.getMessage());
    }

    @Test void lossCeilingIsAKeyWithAPositiveRange() {
        assertEquals(1e6, new RunConfig().lossCeiling);
        assertEquals(100.0, resolve(null, "loss_ceiling=100").lossCeiling);
        rejected(() -> resolve(null, "loss_ceiling=0"), "loss_ceiling", "0", "a positive number");
    }

    @Test void theGeneratedTablesNameEveryKey() {
        String md = ConfigKeys.markdownTable();
        String help = ConfigKeys.helpText();
        for (String k : ConfigKeys.names()) {
            assertTrue(md.contains("| `" + k + "` |"), k);
            assertTrue(help.contains("  " + k + " "), k);
        }
        assertTrue(md.contains("fc, linfc, fc-ntk"), md);
        assertEquals(ConfigKeys.names().size() + 2, md.lines().count());
    }
}
