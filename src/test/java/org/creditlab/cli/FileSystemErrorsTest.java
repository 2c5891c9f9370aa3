package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * File-system problems are the user's environment, not bugs: one line and exit 2 (issue 12, item 7). Read-only and
 * full file systems are real tmpfs mounts where the test may mount (root); the simulated failures always run.
 */
class FileSystemErrorsTest {
    @TempDir Path tmp;

    private static void assertOneLine(ConfigCliTest.Outcome o, String fragment) {
        assertEquals(CreditMain.USAGE, o.code(), o.err());
        String[] lines = o.err().strip().split("\n");
        assertEquals(1, lines.length, "expected one line, got: " + o.err());
        assertTrue(lines[0].startsWith("credit: error: "), o.err());
        assertTrue(o.err().contains(fragment), "expected '" + fragment + "' in: " + o.err());
        assertFalse(o.err().contains("internal error"), o.err());
    }

    @Test void outAtAFileIsRefusedUpFront() throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
        assertOneLine(ConfigCliTest.run("train", "--dataset", "fmnist", "--out", file.toString()), "--out " + file + " is a file, not a directory");
        assertOneLine(ConfigCliTest.run("train", "--dataset", "fmnist", "--out", file.resolve("run").toString()), "is a file, not a directory");
        assertEquals("mine", Files.readString(file));
    }

    @Test void reportPlotAndBenchJsonIntoAFileAreRefusedBeforeTheWork() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertOneLine(ConfigCliTest.run("report", "--plot", file.resolve("acc.png").toString(), tmp.toString()), "--plot");
        assertOneLine(ConfigCliTest.run("report", "--plot", tmp.toString(), tmp.toString()), "is a directory, not a file");
        long t0 = System.nanoTime();
        ConfigCliTest.Outcome bench = ConfigCliTest.run("bench", "--json", tmp.toString(), "--rules", "bp", "--hidden", "8");
        assertOneLine(bench, "--json " + tmp + " is a directory, not a file");
        assertEquals("", bench.out(), "the benchmark must not run");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20));
    }

    @Test void aFailedWriteIsOneLineWithTheReason() {
        CommandLine cli = CreditMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = CreditMain.handle(new UncheckedIOException("cannot write runs/x/metrics.jsonl",
                new IOException("No space left on device")), cli);
        assertEquals(CreditMain.USAGE, code);
        assertEquals("credit: error: cannot write runs/x/metrics.jsonl: No space left on device", err.toString().strip());
        StringWriter err2 = new StringWriter();
        cli.setErr(new PrintWriter(err2, true));
        assertEquals(CreditMain.USAGE, CreditMain.handle(new RuntimeException(
                new FileSystemException("/ro/x.png", null, "Read-only file system")), cli));
        assertEquals("credit: error: file-system error: Read-only file system (/ro/x.png)", err2.toString().strip());
    }

    /** Mounts a tmpfs (root only); false when this machine does not let the test. */
    private static boolean mount(Path dir, String options) throws Exception {
        Files.createDirectories(dir);
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void umount(Path dir) throws Exception {
        new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
    }

    @Test void aReadOnlyFileSystemIsRefusedBeforeTheWork() throws Exception {
        Path ro = tmp.resolve("ro");
        assumeTrue(mount(ro, "ro,size=1m"), "cannot mount a tmpfs here");
        try {
            assertOneLine(ConfigCliTest.run("train", "--dataset", "fmnist", "--out", ro.resolve("run").toString()),
                    "Read-only file system");
            assertOneLine(ConfigCliTest.run("report", "--plot", ro.resolve("acc.png").toString(), tmp.toString()), "Read-only file system");
            ConfigCliTest.Outcome bench = ConfigCliTest.run("bench", "--json", ro.resolve("b.json").toString(), "--rules", "bp", "--hidden", "8");
            assertOneLine(bench, "Read-only file system");
            assertEquals("", bench.out(), "the benchmark must not run");
        } finally {
            umount(ro);
        }
    }

    @Test void aFullDiskIsOneLineAndExit2() throws Exception {
        Path full = tmp.resolve("full");
        // 64 KB: the 784-64-10 checkpoint (200 KB) does not fit. It is the run's first write (a run with a
        // config.json can always be resumed), so the disk fills before any other file is written.
        assumeTrue(mount(full, "size=64k"), "cannot mount a tmpfs here");
        try {
            ConfigCliTest.Outcome o = ConfigCliTest.run("train", "--dataset", "fmnist", "--no-download", "--hidden", "64",
                    "--epochs", "1", "--set", "train_subset=200", "--out", full.resolve("run").toString(), "--quiet");
            assertOneLine(o, "No space left on device");
            assertTrue(o.err().contains(full.resolve("run").toString()), o.err());
            assertTrue(!Files.exists(full.resolve("run/config.json")), "no config.json without the checkpoint it could resume from");
            for (Path p : List.of(full.resolve("run"))) {
                try (var s = Files.walk(p)) {
                    assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temp files left in " + p);
                }
            }
        } finally {
            umount(full);
        }
    }
}
