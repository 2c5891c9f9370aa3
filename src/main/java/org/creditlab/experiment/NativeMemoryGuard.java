package org.creditlab.experiment;

import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;

/**
 * Keeps a training process's native memory bounded. ND4J frees an array's off-heap buffer only after the
 * garbage collector has collected the array object, and the collector runs when the Java heap fills, not when
 * native memory does. A step that allocates a lot off-heap and little on the heap (our training steps once
 * temporaries moved out of Java) let the process grow without bound: a 10-epoch batch-10 run reached 23 GB
 * resident and was killed by the kernel. Every {@link #CHECK_EVERY} steps, or after {@link #CHECK_AFTER_NANOS} of
 * training, whichever comes first, this reads the process's resident size and, above the limit, asks for a
 * collection, which releases every unreachable buffer. The time bound is for large steps: a conv-ntk step
 * (width 64, batch 100, two networks for align-zero) allocates some 3 GB, so 50 of them outran the check and the
 * run was killed at 19 GB; no step allocates more than a few GB in 100 ms.
 */
final class NativeMemoryGuard {
    static final int CHECK_EVERY = 50;
    static final long CHECK_AFTER_NANOS = 100_000_000L;
    /** The limit: twice the resident size when training starts (data and parameters), and at least this. */
    static final long MIN_LIMIT_BYTES = 2L << 30;

    private final LongSupplier residentBytes;
    private final Runnable collect;
    private final LongSupplier clock;
    private final long limit;
    private long steps;
    private long lastCheck;

    NativeMemoryGuard() {
        this(Pointer::physicalBytes, System::gc, System::nanoTime);
    }

    /** A guard that checks by step count only (its clock never advances). */
    NativeMemoryGuard(LongSupplier residentBytes, Runnable collect) {
        this(residentBytes, collect, () -> 0L);
    }

    NativeMemoryGuard(LongSupplier residentBytes, Runnable collect, LongSupplier clock) {
        this.residentBytes = residentBytes;
        this.collect = collect;
        this.clock = clock;
        this.limit = Math.max(MIN_LIMIT_BYTES, 2 * residentBytes.getAsLong());
        this.lastCheck = clock.getAsLong();
    }

    long limit() { return limit; }

    /** Call after every training step. */
    void afterStep() {
        long now = clock.getAsLong();
        if (++steps % CHECK_EVERY != 0 && now - lastCheck < CHECK_AFTER_NANOS) return;
        lastCheck = now;
        if (residentBytes.getAsLong() > limit) collect.run();
    }
}
