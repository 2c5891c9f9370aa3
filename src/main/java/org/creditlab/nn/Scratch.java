package org.creditlab.nn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Temporary buffers an optimizer or a learning rule reuses from step to step, one per (purpose, parameter). An update of a
 * 784 x 1024 layer is 3 MB; allocating a fresh temporary of that size every step cost more than the
 * arithmetic (the memory is new to the process each time). The arithmetic is unchanged: the same
 * elementwise ops write into the buffer instead of into a new array. Buffers and optimizer state are
 * allocated outside any active ND4J workspace, so a caller may run the training step inside one.
 */
public final class Scratch {
    private final Map<String, INDArray> buffers = new HashMap<>();

    /** A buffer shaped like {@code template} (contents undefined). */
    public INDArray like(String key, INDArray template) {
        return get(key, template.dataType(), template.shape(), template.ordering());
    }

    /** A buffer of this type, shape and ordering (contents undefined). */
    public INDArray get(String key, DataType dataType, long[] shape, char ordering) {
        INDArray b = buffers.get(key);
        if (b == null || b.dataType() != dataType || b.ordering() != ordering || !Arrays.equals(b.shape(), shape)) {
            b = outsideWorkspaces(() -> Nd4j.createUninitialized(dataType, shape, ordering));
            buffers.put(key, b);
        }
        return b;
    }

    /** Runs an allocation with every workspace of this thread switched off (state that must outlive a step). */
    public static INDArray outsideWorkspaces(Supplier<INDArray> allocation) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return allocation.get();
        }
    }
}
