package org.creditlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeMemoryGuardTest {

    @Test void collectsOnlyAboveTheLimitAndOnlyEveryFiftySteps() {
        long[] resident = {3L << 30};                       // 3 GB at the start: limit 6 GB
        int[] collected = {0};
        NativeMemoryGuard guard = new NativeMemoryGuard(() -> resident[0], () -> collected[0]++);
        assertEquals(6L << 30, guard.limit());
        for (int i = 0; i < 100; i++) guard.afterStep();
        assertEquals(0, collected[0], "below the limit: no collection");
        resident[0] = 7L << 30;
        for (int i = 0; i < 49; i++) guard.afterStep();
        assertEquals(0, collected[0], "checked every 50 steps only");
        guard.afterStep();
        assertEquals(1, collected[0]);
    }

    /** Slow steps (large conv nets allocate GBs each) are checked once 100 ms have passed, not after 50 steps. */
    @Test void slowStepsAreCheckedByTime() {
        long[] resident = {3L << 30};                  // 3 GB at the start: limit 6 GB
        long[] now = {0};
        int[] collected = {0};
        NativeMemoryGuard guard = new NativeMemoryGuard(() -> resident[0], () -> collected[0]++, () -> now[0]);
        assertEquals(6L << 30, guard.limit());
        resident[0] = 7L << 30;
        now[0] = 50_000_000L;                          // 50 ms after the start: not yet
        guard.afterStep();
        assertEquals(0, collected[0]);
        now[0] = 150_000_000L;                         // past 100 ms: checked at the second step
        guard.afterStep();
        assertEquals(1, collected[0]);
        now[0] = 200_000_000L;                         // 50 ms after that check: not again
        guard.afterStep();
        assertEquals(1, collected[0]);
    }

    @Test void theLimitIsAtLeastTwoGigabytes() {
        NativeMemoryGuard guard = new NativeMemoryGuard(() -> 100L << 20, () -> { });
        assertTrue(guard.limit() >= NativeMemoryGuard.MIN_LIMIT_BYTES);
    }

    /** The real probe reads this process's resident size. */
    @Test void measuresThisProcess() {
        assertTrue(new NativeMemoryGuard().limit() >= NativeMemoryGuard.MIN_LIMIT_BYTES);
        assertTrue(org.bytedeco.javacpp.Pointer.physicalBytes() > 10L << 20);
    }
}
