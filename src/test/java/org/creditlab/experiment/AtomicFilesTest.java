package org.creditlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path tmp;

    @Test void replacesContentAndLeavesNoTempFile() throws Exception {
        Path f = tmp.resolve("result.json");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        try (var list = Files.list(tmp)) {
            assertEquals(1, list.count());
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test void aFailingWriterLeavesTheOldFileIntact() throws Exception {
        Path f = tmp.resolve("curves.png");
        AtomicFiles.writeString(f, "old");
        assertThrows(java.io.UncheckedIOException.class, () -> AtomicFiles.writeWith(f, p -> {
            Files.writeString(p, "half");
            throw new java.io.IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (var list = Files.list(tmp)) {
            assertEquals(1, list.count());
        }
    }
}
