package org.creditlab.experiment;

import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;

/**
 * Keeps a training process's native memory bounded. ND4J frees an array's off-heap buffer only after the
 * garbage collector has collected the array object, and the collector runs when the Java heap fills, not when
 * native memory does. A step that allocates a lot off-heap and little on the heap (our training steps once
 * temporaries moved out of Java) let the process grow without bound: a 10-epoch batch-10 run reached 23 GB
 * resident and was killed by the kernel. Every {@link #CHECK_EVERY} steps this reads the process's resident
 * size and, above the limit, asks for a collection, which releases every unreachable buffer.
 */
final class NativeMemoryGuard {
    static final int CHECK_EVERY = 50;
    /** The limit: twice the resident size when training starts (data and parameters), and at least this. */
    static final long MIN_LIMIT_BYTES = 2L << 30;

    private final LongSupplier residentBytes;
    private final Runnable collect;
    private final long limit;
    private long steps;

    NativeMemoryGuard() {
        this(Pointer::physicalBytes, System::gc);
    }

    NativeMemoryGuard(LongSupplier residentBytes, Runnable collect) {
        this.residentBytes = residentBytes;
        this.collect = collect;
        this.limit = Math.max(MIN_LIMIT_BYTES, 2 * residentBytes.getAsLong());
    }

    long limit() { return limit; }

    /** Call after every training step. */
    void afterStep() {
        if (++steps % CHECK_EVERY != 0) return;
        if (residentBytes.getAsLong() > limit) collect.run();
    }
}
