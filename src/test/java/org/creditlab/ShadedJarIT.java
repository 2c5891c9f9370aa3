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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as users run it ({@code java -jar target/credit.jar}), after {@code package}: the unit tests run
 * on Maven's test classpath, which can hide a dependency the shaded jar lacks (a test-scoped declaration once
 * demoted one of ND4J's runtime dependencies, and only the jar failed).
 */
class ShadedJarIT {
    private static final Path JAR = Path.of("target", "credit.jar");

    record Run(int exitCode, String stdout, String stderr) { }

    private static Run credit(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        return new Run(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void mainJobTrainsOnTheBundledSampleAndWritesItsResults(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run after package: " + JAR.toAbsolutePath());
        Path runDir = dir.resolve("np");
        Run run = credit(dir, "train", "--rule", "np", "--dataset", "mnist", "--epochs", "1", "--no-download",
                "--threads", "1", "--out", runDir.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode result = new ObjectMapper().readTree(runDir.resolve("result.json").toFile());
        assertEquals("completed", result.get("status").asText(), result.toString());
        double accuracy = result.get("final").get("test_accuracy").asDouble();
        assertTrue(accuracy > 15 && accuracy <= 100, "one epoch of np learns above chance (10 %): " + accuracy);
        for (String file : List.of("config.json", "metrics.jsonl", "curves.png")) {
            assertTrue(Files.size(runDir.resolve(file)) > 0, file);
        }
    }

    @Test
    void benchRunsAgainstDl4jInsideTheJar(@TempDir Path dir) throws Exception {
        Run run = credit(dir, "bench", "--rules", "bp,np", "--hidden", "16", "--batch-size", "4", "--repeats", "1",
                "--steps", "1", "--warmup", "1");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith("dl4j-bp ")), run.stdout());
        assertTrue(run.stdout().contains("JvmRandom (ziggurat)"), run.stdout());
    }

    /** A conv network through the jar's own native build (the oneDNN libnd4j NativeBuild picks): LeNet learns. */
    @Test
    void convNetworkTrainsAndBenchesInsideTheJar(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("lenet");
        Run run = credit(dir, "train", "--rule", "bp", "--network", "lenet", "--dataset", "mnist", "--epochs", "1",
                "--set", "train_subset=2000", "--no-download", "--threads", "1", "--out", runDir.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode result = new ObjectMapper().readTree(runDir.resolve("result.json").toFile());
        assertEquals("completed", result.get("status").asText(), result.toString());
        double accuracy = result.get("final").get("test_accuracy").asDouble();
        assertTrue(accuracy > 20, "one short epoch of bp on lenet learns above chance (10 %): " + accuracy);
        Run bench = credit(dir, "bench", "--network", "lenet", "--rules", "bp", "--batch-size", "8", "--repeats", "1",
                "--steps", "1", "--warmup", "1");
        assertEquals(0, bench.exitCode(), bench.stderr());
        assertTrue(bench.stdout().contains("network lenet 1x28x28"), bench.stdout());
        assertTrue(bench.stdout().lines().anyMatch(l -> l.startsWith("dl4j-bp ")), bench.stdout());
    }

    @Test
    void badInputIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        Run run = credit(dir, "train", "--rule", "nosuchrule", "--dataset", "mnist");
        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().contains("nosuchrule"), run.stderr());
    }
}
