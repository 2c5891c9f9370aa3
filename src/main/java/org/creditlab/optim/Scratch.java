package org.creditlab.optim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Temporary buffers an optimizer reuses from step to step, one per (purpose, parameter). An update of a
 * 784 x 1024 layer is 3 MB; allocating a fresh temporary of that size every step cost more than the
 * arithmetic (the memory is new to the process each time). The arithmetic is unchanged: the same
 * elementwise ops write into the buffer instead of into a new array. Buffers and optimizer state are
 * allocated outside any active ND4J workspace, so a caller may run the training step inside one.
 */
final class Scratch {
    private final Map<String, INDArray> buffers = new HashMap<>();

    /** A buffer shaped like {@code template} (contents undefined). */
    INDArray like(String key, INDArray template) {
        INDArray b = buffers.get(key);
        if (b == null || b.dataType() != template.dataType() || !Arrays.equals(b.shape(), template.shape())) {
            b = outsideWorkspaces(() -> Nd4j.createUninitialized(template.dataType(), template.shape(), template.ordering()));
            buffers.put(key, b);
        }
        return b;
    }

    /** Runs an allocation with every workspace of this thread switched off (state that must outlive a step). */
    static INDArray outsideWorkspaces(Supplier<INDArray> allocation) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return allocation.get();
        }
    }
}
