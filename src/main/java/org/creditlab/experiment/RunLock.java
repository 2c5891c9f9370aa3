package org.creditlab.experiment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.creditlab.UserError;

/**
 * An exclusive hold on a run directory for the lifetime of the process that writes it: an OS file lock on
 * {@code <run>/.lock} ({@link FileChannel#tryLock}, a POSIX record lock on Linux). The operating system drops
 * the lock when the process dies, even by {@code kill -9}, so the {@code .lock} file left in the directory
 * never blocks a later run; only a live holder does. The file holds the holder's pid for the error message.
 *
 * <p>POSIX locks belong to the process and are dropped when it closes <em>any</em> descriptor of the file,
 * so the holder never opens the file a second time, and a second claim from the same JVM is refused from a
 * registry before it could open one. The file is not deleted while runs use it: a process that had opened
 * it just before a deletion could lock the deleted file while a third one locks its replacement.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".lock";
    /** Directories locked by this JVM (real paths). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path real;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean removeDirIfUnused;

    private RunLock(Path dir, Path real, FileChannel channel, FileLock lock, boolean removeDirIfUnused) {
        this.dir = dir;
        this.real = real;
        this.channel = channel;
        this.lock = lock;
        this.removeDirIfUnused = removeDirIfUnused;
    }

    /** {@link #acquire(Path, boolean)} that leaves the directory in place when closing. */
    public static RunLock acquire(Path dir) {
        return acquire(dir, false);
    }

    /**
     * Locks {@code dir} (which must exist) or fails with one line naming the directory and the live holder.
     *
     * @param removeDirIfUnused on {@link #close()}, remove the directory if nothing but the lock file is in it
     *                          (the caller created it for a run that then failed to start)
     * @throws UserError if another process (or this one) is writing the directory
     */
    public static RunLock acquire(Path dir, boolean removeDirIfUnused) {
        Path file = dir.resolve(FILE);
        Path real;
        try {
            real = dir.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UserError("cannot lock run directory " + dir + ": it does not exist");
        } catch (IOException e) {
            throw new UserError("cannot lock run directory " + dir + ": " + e.getMessage(), e);
        }
        if (!HELD.add(real)) {
            throw new UserError("run directory " + dir + " is in use by another run in this process; choose another --out");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                HELD.remove(real);
                throw inUse(dir, file);
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            return new RunLock(dir, real, channel, lock, removeDirIfUnused);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was locked through it
                }
            }
            HELD.remove(real);
            throw new UserError("cannot lock run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static UserError inUse(Path dir, Path file) {
        String pid = null;
        try {
            pid = Files.readString(file, StandardCharsets.UTF_8).strip(); // safe: this process holds no lock on it
        } catch (IOException ignored) {
            // the message does without the pid
        }
        return new UserError("run directory " + dir + " is in use by another credit process"
                + (pid == null || pid.isEmpty() ? "" : " (pid " + pid + ")") + "; wait for it to finish or choose another --out");
    }

    /**
     * Whether a live process holds {@code dir}'s lock, without taking it for longer than a probe: for status
     * displays, which must never make a starting run fail. A lock this JVM holds is answered from the registry:
     * opening and closing another descriptor of the file would drop it (see the class comment).
     */
    public static boolean isHeld(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return false;
        try {
            if (HELD.contains(dir.toRealPath())) return true;
        } catch (IOException e) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) return true;
            probe.release();
            return false;
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            return false;
        }
    }

    /** The locked directory. */
    public Path dir() { return dir; }

    /** Releases the lock (and removes the directory if asked and nothing but the lock file is in it). */
    @Override public void close() {
        try {
            if (removeDirIfUnused) {
                try (var entries = Files.list(dir)) {
                    if (entries.allMatch(p -> p.getFileName().toString().equals(FILE))) {
                        Files.deleteIfExists(dir.resolve(FILE));
                        Files.deleteIfExists(dir);
                    }
                } catch (IOException ignored) {
                    // an empty directory left behind is harmless
                }
            }
            try {
                if (lock.isValid()) lock.release();
                channel.close();
            } catch (IOException ignored) {
                // the lock dies with the channel or the process anyway
            }
        } finally {
            HELD.remove(real);
        }
    }
}
