package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Bad {@code layers} specs and conv-network conflicts through the CLI, as a user meets them: exit 2 and exactly one
 * line on stderr ("credit: error: ..."), which names the offending element and, for a shape problem, the shapes. The
 * runs use the bundled MNIST sample (input [1, 28, 28], 10 classes); its "using the bundled sample" warning is the only
 * other line a run prints to stderr, and is left out of the count.
 */
class LayersSpecErrorTest {
    @TempDir Path tmp;

    /** Exit code and everything written to stderr (picocli's writer and System.err), warnings about the data left out. */
    record Outcome(int code, List<String> lines) { }

    static Outcome run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream system = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setErr(new PrintStream(system, true, StandardCharsets.UTF_8));
            CommandLine cli = CreditMain.commandLine();
            cli.setErr(new PrintWriter(err, true));
            code = cli.execute(args);
        } finally {
            System.setErr(saved);
        }
        List<String> lines = new ArrayList<>();
        for (String l : (system.toString(StandardCharsets.UTF_8) + err).split("\n")) {
            if (l.isBlank()) continue;
            if (l.startsWith("credit: warning:") && l.contains("bundled")) continue;
            lines.add(l);
        }
        return new Outcome(code, lines);
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                // element problems
                Arguments.of("conv4k3,foo,fc10", List.of("element 2 'foo'", "unknown element")),
                Arguments.of("conv4k3,,fc10", List.of("empty element")),
                Arguments.of("conv4k3,relu,fc10,", List.of("empty element")),
                Arguments.of("", List.of("layers is empty")),
                Arguments.of("conv0k3,relu,fc10", List.of("element 1 'conv0k3'", "between 1 and")),
                Arguments.of("relu,conv4k3,fc10", List.of("element 1 'relu'", "first element")),
                // order problems
                Arguments.of("conv4k3,maxpool2,relu,fc10", List.of("element 3 'relu'", "before the pooling", "maxpool2")),
                Arguments.of("conv4k3,relu,bn,fc10", List.of("element 3 'bn'", "right after its conv or fc")),
                Arguments.of("conv4k3,relu,tanh,fc10", List.of("element 3 'tanh'", "already has a nonlinearity")),
                // shape problems: the element and the shapes
                Arguments.of("fc20,relu,conv4k3,fc10", List.of("element 3 'conv4k3'", "[20]")),
                Arguments.of("conv4k3,relu,gap,conv4k3,fc10", List.of("element 4 'conv4k3'", "[4]")),
                Arguments.of("conv4k30,relu,fc10", List.of("element 1 'conv4k30'", "30x30", "28x28")),
                Arguments.of("conv4k5s4,relu,maxpool8,fc10", List.of("element 3 'maxpool8'", "[4, 6, 6]", "8x8")),
                Arguments.of("conv4k3,relu,gap,maxpool2,fc10", List.of("element 4 'maxpool2'", "[4]")),
                // flatten makes the activity a vector: what needs an image cannot follow it
                Arguments.of("conv4k3,relu,flatten,conv4k3,relu,fc10", List.of("element 4 'conv4k3'", "[2704]", "flatten")),
                Arguments.of("conv4k3,relu,flatten,maxpool2,fc10", List.of("element 4 'maxpool2'", "[2704]", "flatten")),
                Arguments.of("conv4k3,relu,flatten,gap,fc10", List.of("element 4 'gap'", "[2704]", "flatten")),
                Arguments.of("conv4k3,relu,fc7", List.of("element 3 'fc7'", "7 units", "10 classes", "fc10")),
                // nothing, or something, after the readout
                Arguments.of("conv4k3,relu", List.of("must end with the readout fc10", "'relu'")),
                Arguments.of("conv4k3,relu,gap", List.of("must end with the readout fc10", "'gap'")),
                Arguments.of("conv4k3,relu,fc10,relu", List.of("must end with the readout fc10", "'relu'")),
                Arguments.of("conv4k3,relu,fc10,softmax", List.of("element 4 'softmax'", "output_activation")),
                Arguments.of("conv4k3,relu,fc10,bn", List.of("must end with the readout fc10", "'bn'")),
                Arguments.of("conv4k3,relu,fc10,maxpool2", List.of("element 4 'maxpool2'", "[10]")));
    }

    @ParameterizedTest(name = "--layers \"{0}\"")
    @MethodSource("badSpecs")
    void badLayersSpecIsOneLineAndExit2(String spec, List<String> fragments) {
        assertUserError(run("train", "--dataset", "mnist", "--no-download", "--layers", spec, "--epochs", "1",
                "--out", tmp.resolve("r").toString(), "--quiet"), fragments);
    }

    static Stream<Arguments> conflicts() {
        return Stream.of(
                Arguments.of(List.of("--network", "conv", "--layers", "conv4k3,relu,fc10"), List.of("network 'conv'", "conflicts with layers")),
                Arguments.of(List.of("--network", "lenet", "--width", "8"), List.of("network 'lenet'", "fixed widths", "width")),
                Arguments.of(List.of("--layers", "conv4k3,relu,fc10", "--width", "8"), List.of("width", "layers")),
                Arguments.of(List.of("--rule", "sdd", "--network", "conv"), List.of("sdd", "convolutional")),
                Arguments.of(List.of("--rule", "sdd", "--layers", "conv4k3,relu,fc10"), List.of("sdd", "convolutional")),
                Arguments.of(List.of("--rule", "sdd", "--layers", "fc16,relu,maxpool2,fc10"), List.of("element 3 'maxpool2'", "[16]")),
                Arguments.of(List.of("--network", "convnet"), List.of("'network' must be one of fc, linfc, fc-ntk, conv, conv-large, lenet, pepita-conv, conv-ntk, custom, got 'convnet'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflicts")
    void conflictingNetworkSettingsAreOneLineAndExit2(List<String> flags, List<String> fragments) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "mnist", "--no-download", "--epochs", "1",
                "--out", tmp.resolve("r").toString(), "--quiet"));
        args.addAll(flags);
        assertUserError(run(args.toArray(String[]::new)), fragments);
    }

    private static void assertUserError(Outcome o, List<String> fragments) {
        assertEquals(CreditMain.USAGE, o.code(), String.join("\n", o.lines()));
        assertEquals(1, o.lines().size(), "expected one line, got: " + o.lines());
        String line = o.lines().get(0);
        assertTrue(line.startsWith("credit: error: "), line);
        for (String f : fragments) assertTrue(line.contains(f), "expected '" + f + "' in: " + line);
        assertFalse(line.contains("Exception"), line);
    }
}
