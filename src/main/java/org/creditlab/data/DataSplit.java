package org.creditlab.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One split in memory.
 *
 * @param features float32 [N, C*H*W]; pixel values byte/255 in [0,1] unless a {@link Preprocessing}
 *                 step changed them. Rows are examples; within a row the file's order (row-major for
 *                 IDX, channel-major R,G,B planes for CIFAR), so {@code reshape(N, C, H, W)} works.
 * @param labels   class indices 0..classes-1, one per row
 */
public record DataSplit(INDArray features, int[] labels) {
    public DataSplit {
        if (features.rank() != 2 || features.size(0) != labels.length) {
            throw new IllegalArgumentException("features " + java.util.Arrays.toString(features.shape())
                    + " do not match " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }
}
