package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault test of issue 12: a real training process (a child JVM, 4 epochs on the bundled MNIST sample)
 * is killed with SIGKILL at 20 random points anywhere in the run: at a random time, or at the n-th write of
 * the checkpoint, result.json or metrics.jsonl (while its temp file exists; a test-only delay,
 * {@code -Dcredit.test.writeDelayMillis}, holds each write open for a moment), or just after the n-th
 * checkpoint was renamed into place, between two writes, where a wrong order of checkpoint and metrics
 * would lose or repeat an epoch's lines (moving the checkpoint before the epoch's line makes this test fail).
 * After every kill, each file in the run directory is complete (JSON and JSON lines parse, the checkpoint
 * opens with its position, the PNGs decode); the run is then continued with {@code --resume} (or started
 * again with the same --out when it was killed before writing its config), killed again up to three times,
 * and must finally leave no temp file and a metrics.jsonl byte for byte equal to the uninterrupted run's.
 *
 * <p>The kill points come from a seeded random generator ({@code -Dcredit.faultSeed}, printed on failure).
 */
class KillNineFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KILLS = 20;
    private static final int KILLS_PER_RUN = 4;
    private static final List<String> JVM = List.of("-Dcredit.test.writeDelayMillis=25");
    private static final String[] RUN = {"train", "--rule", "bp", "--optimizer", "momentum", "--lr", "0.05",
            "--dataset", "mnist", "--no-download", "--hidden", "8", "--set", "train_subset=400", "--batch-size", "20",
            "--set", "diagnostics_every=9", "--threads", "1", "--seed", "3", "--epochs", "4", "--quiet"};

    @TempDir Path tmp;

    /**
     * Where to kill: at a random time; inside a write of the checkpoint, result.json or metrics.jsonl (its temp
     * file exists); or just after a checkpoint was renamed into place, between two writes, where a wrong order
     * of checkpoint and metrics would lose or repeat an epoch's lines.
     */
    enum Target {
        ANY_TIME(null, 0), CHECKPOINT(".last.zip", 5), AFTER_CHECKPOINT(".last.zip", 5), RESULT(".result.json", 5),
        METRICS(".metrics.jsonl", 13);

        final String tempPrefix;
        /** How many writes of this file a whole run makes (initial + 4 epochs; metrics: 9 alignment + 4 epoch lines). */
        final int writesPerRun;

        Target(String tempPrefix, int writesPerRun) {
            this.tempPrefix = tempPrefix;
            this.writesPerRun = writesPerRun;
        }
    }

    @Test void sigkillAtTwentyPointsNeverCorruptsTheRunAndResumingReproducesItByteForByte() throws Exception {
        long seed = Long.getLong("credit.faultSeed", 20261201L);
        Random rnd = new Random(seed);
        List<String> log = new ArrayList<>();
        try {
            run(rnd, log);
            System.out.println("KillNineFaultTest (seed " + seed + "):\n  " + String.join("\n  ", log));
        } catch (AssertionError | Exception e) {
            throw new AssertionError("fault test with -Dcredit.faultSeed=" + seed + " failed; kills so far:\n  "
                    + String.join("\n  ", log), e);
        }
    }

    private void run(Random rnd, List<String> log) throws Exception {
        Path ref = tmp.resolve("uninterrupted");
        long t0 = System.nanoTime();
        ChildCredit.Exit refExit = ChildCredit.start(tmp, "ref", JVM, RunSafetyProcessTest.concat(RUN, "--out", ref.toString()))
                .waitFor(180);
        assertEquals(0, refExit.code(), refExit.stderr());
        int refMillis = (int) ((System.nanoTime() - t0) / 1_000_000);
        log.add("uninterrupted run: " + refMillis + " ms");
        String expected = Files.readString(ref.resolve("metrics.jsonl"));

        int kills = 0;
        int inWritesSeen = 0;
        for (int trial = 0; kills < KILLS; trial++) {
            Path dir = tmp.resolve("run" + trial);
            int killsHere = 0;
            int launches = 0;
            while (true) {
                boolean fresh = !Files.exists(dir.resolve("config.json"));
                String[] args = fresh ? RunSafetyProcessTest.concat(RUN, "--out", dir.toString())
                        : new String[] {"train", "--resume", dir.toString(), "--quiet"};
                List<String> stale = temps(dir); // left by the previous kill: the next start must remove them
                ChildCredit child = ChildCredit.start(tmp, "trial" + trial + "-" + launches++, JVM, args);
                if (kills < KILLS && killsHere < KILLS_PER_RUN) {
                    Target target = Target.values()[rnd.nextInt(Target.values().length)];
                    // a point anywhere in a whole run: a time, or the n-th write of the target's file
                    int n = target == Target.ANY_TIME ? rnd.nextInt(refMillis) : rnd.nextInt(target.writesPerRun);
                    if (killAt(child, dir, target, n, stale)) {
                        kills++;
                        killsHere++;
                        List<String> temps = temps(dir);
                        if (temps.stream().anyMatch(t -> !stale.contains(t))) inWritesSeen++;
                        log.add(String.format("kill %d: run%d %s, %s %s; then checkpoint at epoch %s, %d epoch lines; temp files: %s",
                                kills, trial, fresh ? "start" : "resume", target,
                                target == Target.ANY_TIME ? "after " + n + " ms" : "at write " + (n + 1), checkpointEpoch(dir),
                                epochLines(dir), temps));
                        assertEveryFileComplete(dir);
                        continue;
                    }
                }
                ChildCredit.Exit exit = child.waitFor(180);
                assertEquals(0, exit.code(), "run" + trial + ": " + exit.stderr());
                break;
            }
            assertEveryFileComplete(dir);
            assertEquals(List.of(), temps(dir), "run" + trial + ": temp files survived the resume");
            assertEquals(expected, Files.readString(dir.resolve("metrics.jsonl")),
                    "run" + trial + " (" + killsHere + " kills) differs from the uninterrupted run");
            JsonNode result = JSON.readTree(dir.resolve("result.json").toFile());
            assertEquals("completed", result.get("status").asText(), result.toString());
            assertEquals(4, result.get("final").get("epochs").asInt(), result.toString());
            log.add("run" + trial + " completed after " + killsHere + " kills: metrics identical");
        }
        assertTrue(inWritesSeen >= KILLS / 4, "too few kills left the temp file of an unfinished write ("
                + inWritesSeen + " of " + KILLS + "):\n" + String.join("\n", log));
    }

    /**
     * ANY_TIME: waits {@code n} ms after the launch. Otherwise waits until the (n+1)-th write of the target's
     * file of this launch is under way (its temp file appears; AFTER_CHECKPOINT: until it is renamed). Then
     * sends SIGKILL. False if the child finished first.
     */
    private static boolean killAt(ChildCredit child, Path dir, Target target, int n, List<String> stale) throws Exception {
        if (target == Target.ANY_TIME) {
            long until = System.nanoTime() + n * 1_000_000L;
            child.awaitWhileAlive(120, () -> System.nanoTime() >= until);
        } else {
            Path folder = target.tempPrefix.equals(".last.zip") ? dir.resolve("checkpoints") : dir;
            List<Path> seen = new ArrayList<>();
            child.awaitWhileAlive(120, () -> newTemps(dir, folder, target.tempPrefix, stale, seen) > n);
            if (target == Target.AFTER_CHECKPOINT && seen.size() > n) {
                Path temp = seen.get(n);
                child.awaitWhileAlive(120, () -> !Files.exists(temp));
            }
        }
        if (!child.isAlive()) return false;
        child.process().destroyForcibly(); // SIGKILL
        int code = child.process().waitFor();
        // 137 = killed by SIGKILL; 0 if it exited on its own in the same instant
        if (code == 0) return false;
        assertEquals(137, code, "the child should have died of SIGKILL");
        return true;
    }

    /**
     * Collects into {@code seen} the temp files of this write that were not there before the launch (a stale
     * one is no sign of a write) and returns how many there have been.
     */
    private static int newTemps(Path dir, Path folder, String prefix, List<String> stale, List<Path> seen) {
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(".tmp") && !stale.contains(dir.relativize(f).toString())
                        && !seen.contains(f);
            }).sorted().forEach(seen::add);
        } catch (IOException e) {
            // not created yet
        }
        return seen.size();
    }

    private static String checkpointEpoch(Path dir) {
        Path zip = dir.resolve("checkpoints/last.zip");
        if (!Files.exists(zip)) return "none";
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return JSON.readTree(z.getInputStream(z.getEntry("position.json"))).get("epochs_done").asText();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static long epochLines(Path dir) throws IOException {
        Path metrics = dir.resolve("metrics.jsonl");
        if (!Files.exists(metrics)) return 0;
        try (Stream<String> lines = Files.lines(metrics)) {
            return lines.filter(l -> l.contains("\"type\":\"epoch\"")).count();
        }
    }

    /** Hidden temp files (.NAME<N>.tmp) anywhere in the run directory. */
    private static List<String> temps(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> dir.relativize(p).toString())
                    .filter(p -> Path.of(p).getFileName().toString().startsWith(".") && p.endsWith(".tmp")).sorted().toList();
        }
    }

    /** Every file a run writes is whole: parsable JSON, JSON lines, checkpoint zip, PNG. */
    private static void assertEveryFileComplete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            try {
                if (name.endsWith(".json")) {
                    assertTrue(JSON.readTree(f.toFile()).isObject(), f.toString());
                } else if (name.endsWith(".jsonl")) {
                    String text = Files.readString(f);
                    assertTrue(text.endsWith("\n"), f + " does not end with a complete line");
                    for (String line : text.split("\n")) assertTrue(JSON.readTree(line).isObject(), f + ": " + line);
                } else if (name.endsWith(".zip")) {
                    try (ZipFile zip = new ZipFile(f.toFile())) {
                        assertNotNull(zip.getEntry("position.json"), f.toString());
                        JSON.readTree(zip.getInputStream(zip.getEntry("position.json")));
                    }
                } else if (name.endsWith(".png")) {
                    assertNotNull(ImageIO.read(f.toFile()), f + " is not a whole PNG");
                }
            } catch (IOException e) {
                fail(f + " is not complete: " + e.getMessage());
            }
        }
    }
}
