package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A StepMemory nobody holds any more gives its block back, instead of keeping it for the life of the thread. */
class StepMemoryReleaseTest {
    private static final long MB = 1L << 20;

    @Test void theBlocksOfDroppedInstancesAreReleased() throws Exception {
        System.gc();
        long before = Pointer.physicalBytes();
        for (int i = 0; i < 12; i++) {
            StepMemory memory = new StepMemory("release-test");
            // twice: the first step sizes the block, the second runs in it (100 MB, touched)
            for (int k = 0; k < 2; k++) memory.run(() -> Nd4j.create(DataType.FLOAT, 25_000_000).addi(1.0).sumNumber());
        }
        long grown = Long.MAX_VALUE;
        for (int t = 0; t < 100 && grown > 400 * MB; t++) {
            System.gc();
            Thread.sleep(100);
            grown = Pointer.physicalBytes() - before;
        }
        // 12 blocks of 100 MB would be 1.2 GB if none were released
        assertTrue(grown <= 400 * MB, "resident memory grew by " + grown / MB + " MB after 12 dropped blocks of 100 MB");
    }
}
