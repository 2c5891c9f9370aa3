package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/**
 * A conv run stopped after one epoch and resumed for one more writes exactly the metrics of an uninterrupted
 * two-epoch run (losses, accuracies, and at every step the per-layer angles to backprop and the rule's W–B angles:
 * all bit for bit) and ends with the same parameters, rule state and optimizer state, for rules whose state is
 * feedback kernels that change every step: kp (kernel-shaped B trained on W's gradient, with momentum on W) and wm
 * (B trained on fresh noise input each step, so the noise stream must resume too). On the bundled MNIST sample with
 * a tiny {@code --layers} network and 300 training images (3 steps an epoch).
 */
class ConvResumeTest {
    @TempDir Path tmp;

    private static final String LAYERS = "conv4k5s2,relu,maxpool2,conv6k3same,relu,fc10";

    static int run(String... args) {
        CommandLine cli = CreditMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertEquals(0, code, err.toString());
        return code;
    }

    @ParameterizedTest
    @ValueSource(strings = {"kp", "wm"})
    void resumedConvRunEqualsUninterruptedRun(String rule) throws Exception {
        String[] common = {"train", "--rule", rule, "--dataset", "mnist", "--no-download", "--layers", LAYERS,
                "--set", "train_subset=300", "--set", "diagnostics_every=1", "--optimizer", "momentum", "--lr", "0.05",
                "--seed", "3", "--threads", "1", "--quiet"};
        Path full = tmp.resolve("full"), part = tmp.resolve("part");
        run(concat(common, "--epochs", "2", "--out", full.toString()));
        run(concat(common, "--epochs", "1", "--out", part.toString()));
        Map<String, INDArray> saved = ruleState(part.resolve("checkpoints/last.zip"));
        assertArrayEquals(new long[] {6, 4, 3, 3}, saved.get("layer1.B").shape(), "a feedback kernel in the checkpoint");
        assertArrayEquals(new long[] {216, 10}, saved.get("layer2.B").shape());
        run("train", "--resume", part.toString(), "--epochs", "2", "--quiet");
        String expected = Files.readString(full.resolve("metrics.jsonl"));
        assertTrue(expected.contains("layer1.angle_w_b"), "the kernel's W-B angle is logged: " + expected);
        assertEquals(expected, Files.readString(part.resolve("metrics.jsonl")));
        // and the final parameters and rule state, bit for bit
        Map<String, INDArray> a = entries(full.resolve("checkpoints/last.zip"));
        Map<String, INDArray> b = entries(part.resolve("checkpoints/last.zip"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertEquals(a.get(k), b.get(k), k);
    }

    private static Map<String, INDArray> ruleState(Path zip) throws Exception {
        Map<String, INDArray> m = new LinkedHashMap<>();
        entries(zip).forEach((k, v) -> { if (k.startsWith("rule/")) m.put(k.substring(5), v); });
        return m;
    }

    private static Map<String, INDArray> entries(Path zip) throws Exception {
        Map<String, INDArray> m = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().endsWith(".json")) continue;
                m.put(e.getName(), Nd4j.read(new DataInputStream(new java.io.ByteArrayInputStream(in.readAllBytes()))));
            }
        }
        return m;
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
