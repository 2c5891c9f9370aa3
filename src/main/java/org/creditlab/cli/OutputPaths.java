package org.creditlab.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.creditlab.UserError;

/**
 * Checks where a command will write before it does any work, so an unwritable path (a file where a folder
 * should be, a read-only file system, no permission) is one line and exit 2 up front, not an internal error after
 * a whole run or benchmark. A full disk can only show when writing; {@link CreditMain} reports that as one line too.
 */
final class OutputPaths {
    private OutputPaths() { }

    /** A folder to be created if needed and written into (a run directory). */
    static void checkDirectory(Path dir, String what) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(what + " " + dir + " is a file, not a directory");
        }
        probe(existingAncestor(dir, what), what + " " + dir);
    }

    /** A file to be (re)written, its folder created if needed. */
    static void checkFile(Path file, String what) {
        if (Files.isDirectory(file)) throw new UserError(what + " " + file + " is a directory, not a file");
        Path parent = file.toAbsolutePath().getParent();
        probe(existingAncestor(parent, what), what + " " + file);
    }

    private static Path existingAncestor(Path p, String what) {
        Path a = p.toAbsolutePath().normalize();
        while (a != null && !Files.exists(a)) a = a.getParent();
        if (a == null) throw new UserError(what + " " + p + ": no existing parent folder");
        if (!Files.isDirectory(a)) throw new UserError(what + " " + p + ": " + a + " is a file, not a directory");
        return a;
    }

    /** Creates and deletes a hidden file in {@code dir}: the only reliable test (access(2) is not, for root). */
    private static void probe(Path dir, String target) {
        try {
            Path tmp = Files.createTempFile(dir, ".credit-write-test", ".tmp");
            Files.delete(tmp);
        } catch (FileSystemException e) {
            throw new UserError("cannot write " + target + ": " + (e.getReason() != null ? e.getReason()
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString()) + " (" + dir + ")");
        } catch (IOException e) {
            throw new UserError("cannot write " + target + ": " + e.getMessage() + " (" + dir + ")");
        }
    }
}
