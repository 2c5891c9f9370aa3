package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code credit bench} end to end with tiny settings, and its handling of bad input. */
class BenchCommandTest {
    /** The way the main CLI runs a command: a UserError becomes one line on stderr and exit 2. */
    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserError) {
                line.getErr().println(e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Test
    void tinyRunPrintsTheTableAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "--hidden", "16", "--hidden", "8,8", "--batch-size", "4,5", "--rules", "bp",
                "--warmup", "1", "--repeats", "3", "--steps", "2", "--workspace", "--json", json.toString());
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("network fc 784-16-10, batch 4, threads 1"), text);
        assertTrue(text.contains("network fc 784-8-8-10, batch 5, threads 1"), text);
        assertTrue(text.contains("vs DL4J bp"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("bp ")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("bp+ws ")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("dl4j-bp ")), text);
        assertTrue(text.contains("layer1 dX"), text);

        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        JsonNode results = doc.get("results");
        assertEquals(4, results.size(), "2 networks x 2 batch sizes");
        JsonNode first = results.get(0);
        assertEquals("fc 784-16-10", first.get("network").asText());
        assertEquals(4, first.get("batchSize").asInt());
        assertEquals("bp", first.get("rules").get(0).get("name").asText());
        assertTrue(first.get("rules").get(0).get("medianSamplesPerSecond").asDouble() > 0);
        assertEquals(2, first.get("dl4j").size(), "workspaces enabled and none");
        assertEquals(5, first.get("gemm").size(), "forward + dW of layer 0; forward, dW, dX of layer 1");
        assertEquals(4, first.get("random").size(), "gaussian and uniform, ours and ND4J's");
        assertEquals(2, first.get("updates").size(), "one SGD update per layer, as the step does it and inside the product");
        for (JsonNode u : first.get("updates")) {
            assertTrue(u.get("separateMillis").asDouble() > 0 && u.get("inProductMillis").asDouble() > 0, u.toString());
            long differing = u.get("differingElements").asLong();
            assertTrue(differing >= 0 && differing <= u.get("rows").asLong() * u.get("cols").asLong(), u.toString());
        }
        assertTrue(text.contains("inside the product"), text);
        for (JsonNode r : first.get("random")) {
            double ns = r.get("nanosPerValue").asDouble();
            assertTrue(ns > 0.1 && ns < 10_000, r.toString());
        }
        assertTrue(text.contains("JvmRandom (ziggurat)"), text);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void warmUpStopsAtItsTimeLimit(@TempDir Path dir) throws Exception {
        // a million warm-up steps per candidate would take minutes; the time limit cuts each to a tenth of a second
        Path json = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = run(out, err, "--hidden", "16", "--batch-size", "4", "--rules", "bp,fa", "--no-dl4j",
                "--warmup", "1000000", "--warmup-seconds", "0.1", "--repeats", "1", "--steps", "1", "--json", json.toString());
        double seconds = (System.nanoTime() - t0) * 1e-9;
        assertEquals(0, code, err.toString());
        assertTrue(seconds < 20, "took " + seconds + " s");
        assertTrue(out.toString().contains("warmup 1000000 steps or 0.1 s"), out.toString());
        JsonNode first = new ObjectMapper().readTree(json.toFile()).get("results").get(0);
        assertEquals(0.1, first.get("warmupSeconds").asDouble(), 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--batch-size=0", "--batch-size=abc", "--hidden=abc", "--hidden=10,,5", "--hidden=-3",
            "--rules=nosuchrule", "--threads=0", "--repeats=0", "--steps=x", "--warmup=-1", "--warmup-seconds=-2",
            "--warmup-seconds=soon", "--warmup-seconds=NaN"})
    void badInputIsAUserErrorWithExit2(String arg) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, arg, "--no-dl4j", "--no-gemm");
        assertEquals(2, code, arg);
        String message = err.toString().strip();
        assertFalse(message.isEmpty());
        assertEquals(1, message.lines().count(), "one clear line: " + message);
        assertTrue(out.toString().isEmpty(), "nothing measured");
    }

    @Test
    void userErrorIsThrownToTheCaller() {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs("--batch-size", "0");
        UserError e = assertThrows(UserError.class, cmd::call);
        assertTrue(e.getMessage().contains("--batch-size"), e.getMessage());
    }

    @Test
    void missingJsonDirectoryIsAUserError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = run(new StringWriter(), err, "--json", dir.resolve("no/such/dir/x.json").toString(), "--no-dl4j");
        assertEquals(2, code);
        assertTrue(err.toString().contains("does not exist"), err.toString());
    }
}
