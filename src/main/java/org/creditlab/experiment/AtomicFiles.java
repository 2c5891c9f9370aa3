package org.creditlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes that either fully happen or do not: a temp file in the same directory, then a rename. A process
 * killed mid-write leaves the old file intact and a hidden {@code .NAME<random>.tmp}, which
 * {@link RunDirectory} removes the next time the directory is claimed.
 */
public final class AtomicFiles {
    private AtomicFiles() { }

    public static final String TEMP_SUFFIX = ".tmp";

    /**
     * Test-only: with {@code -Dcredit.test.writeDelayMillis=N}, every write pauses N ms half-way through the
     * temp file (for callback writers: after it) and before the rename, so that a fault test killing the
     * process lands inside writes often. Unset in normal use.
     */
    private static final long WRITE_DELAY_MILLIS = Long.getLong("credit.test.writeDelayMillis", 0L);

    private static void testDelay() {
        if (WRITE_DELAY_MILLIS <= 0) return;
        try {
            Thread.sleep(WRITE_DELAY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Temp files are created owner-only; results are meant to be shared like any other file. */
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> READABLE =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    private static void makeReadable(Path tmp) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, READABLE);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its defaults
        }
    }

    public static void write(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), TEMP_SUFFIX);
            if (WRITE_DELAY_MILLIS > 0) {
                try (var out = Files.newOutputStream(tmp)) {
                    out.write(content, 0, content.length / 2);
                    out.flush();
                    testDelay();
                    out.write(content, content.length / 2, content.length - content.length / 2);
                }
                testDelay();
            } else {
                Files.write(tmp, content);
            }
            makeReadable(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one worth reporting
            }
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    public static void writeString(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes via a callback that fills a temp file (for writers that need a path, like PNG encoders). */
    public static void writeWith(Path target, IoWriter writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), TEMP_SUFFIX);
            writer.write(tmp);
            testDelay();
            makeReadable(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one worth reporting
            }
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    @FunctionalInterface
    public interface IoWriter {
        void write(Path tmp) throws IOException;
    }
}
