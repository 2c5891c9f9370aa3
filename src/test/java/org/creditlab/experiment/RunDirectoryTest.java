package org.creditlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claiming run directories: default names never collide, a held directory is never shared. */
class RunDirectoryTest {
    @TempDir Path tmp;

    @Test void defaultDirectoriesStartedInTheSameSecondGetSuffixes() throws Exception {
        Path base = tmp.resolve("runs/bp-mnist-20261201-120000");
        try (RunLock a = RunDirectory.claimUnique(base); RunLock b = RunDirectory.claimUnique(base)) {
            assertEquals(base, a.dir());
            assertEquals(Path.of(base + "-2"), b.dir());
            Files.writeString(a.dir().resolve("config.json"), "{}"); // a ran; b failed before writing anything
        }
        assertTrue(Files.exists(base.resolve("config.json")));
        assertFalse(Files.exists(Path.of(base + "-2")), "a directory claimed for a run that wrote nothing is removed");
        // a finished run's directory (no longer locked) is never reused
        try (RunLock c = RunDirectory.claimUnique(base)) {
            assertEquals(Path.of(base + "-2"), c.dir());
        }
    }

    @Test void eightRunsStartingAtOnceGetEightDirectories() throws Exception {
        Path base = tmp.resolve("runs/np-mnist-20261201-120000");
        Files.createDirectories(base);
        Files.writeString(base.resolve("config.json"), "{}");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<RunLock>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) claims.add(() -> RunDirectory.claimUnique(base));
            Set<Path> dirs = new HashSet<>();
            List<RunLock> locks = new ArrayList<>();
            for (Future<RunLock> f : pool.invokeAll(claims)) locks.add(f.get());
            for (RunLock l : locks) dirs.add(l.dir());
            assertEquals(8, dirs.size(), dirs.toString());
            assertFalse(dirs.contains(base), "the existing run is not claimed");
            locks.forEach(RunLock::close);
        } finally {
            pool.shutdown();
        }
    }

    @Test void aHeldDirectoryIsRefusedInTheSameProcessTooAndFreeAfterClose() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        try (RunLock held = RunLock.acquire(dir)) {
            UserError e = assertThrows(UserError.class, () -> RunLock.acquire(dir));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertThrows(UserError.class, () -> RunDirectory.claimNew(dir, true, null));
            assertThrows(UserError.class, () -> RunDirectory.claimForResume(dir));
        }
        try (RunLock again = RunLock.acquire(dir)) {
            assertEquals(dir, again.dir());
        }
    }

    @Test void onlyCreditsOwnTempFilesCountAsStale() {
        assertTrue(RunDirectory.isTemp(".result.json123.tmp"));
        assertTrue(RunDirectory.isTemp(".last.zip9876543210.tmp"));
        assertTrue(RunDirectory.isTemp(".alignment.png5.tmp"));
        assertFalse(RunDirectory.isTemp(".notes.tmp"));
        assertFalse(RunDirectory.isTemp("result.json"));
        assertFalse(RunDirectory.isTemp(".result.json.swp"));
    }
}
