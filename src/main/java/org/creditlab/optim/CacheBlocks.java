package org.creditlab.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.creditlab.nn.Scratch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Arrays of one shape and layout cut into matching blocks of consecutive elements, small enough that an update's
 * temporaries stay in a core's cache from one element-wise op to the next. Over a whole 784 x 1024 weight (3 MB), SGD's
 * η·g is written to memory by one op and read back by the next; block by block it never leaves the cache, and the
 * same ops on the same elements give the same values bit for bit (every op involved is element-wise).
 */
final class CacheBlocks {
    /**
     * Bytes of one block of one array. Measured on bp's step on fc 1024 at batch 64 (2 MB L2 per core): SGD's update
     * took 0.49 ms per step over whole arrays, 0.30 ms in blocks of 256 or 512 KiB, 0.42 ms in blocks of 1 MiB or of
     * 64 KiB (there the cost per op of the more numerous blocks takes over).
     */
    static final long BLOCK_BYTES = 256L << 10;

    private CacheBlocks() { }

    /**
     * Whether these arrays can be cut into matching blocks: the same type, shape and ordering, each dense in its
     * ordering (no view with gaps, so a block of elements is a block of memory), and at least two blocks long.
     */
    static boolean splittable(INDArray... arrays) {
        INDArray first = arrays[0];
        if (blockLength(first) * 2 > first.length()) return false;
        for (INDArray a : arrays) {
            if (a.dataType() != first.dataType() || a.ordering() != first.ordering()
                    || !Arrays.equals(a.shape(), first.shape()) || !Shape.hasDefaultStridesForShape(a)) return false;
        }
        return true;
    }

    /** Elements per block for arrays of this one's type. */
    static long blockLength(INDArray a) {
        return Math.max(1, BLOCK_BYTES / a.dataType().width());
    }

    /**
     * {@code blocks[b][i]} is block b of {@code arrays[i]}, as views of each array's flat memory order; the arrays must
     * be {@link #splittable}.
     */
    static INDArray[][] split(INDArray... arrays) {
        long n = arrays[0].length();
        long block = blockLength(arrays[0]);
        INDArray[] flat = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) flat[i] = arrays[i].reshape(arrays[i].ordering(), new long[] {n});
        INDArray[][] blocks = new INDArray[(int) ((n + block - 1) / block)][arrays.length];
        for (int b = 0; b < blocks.length; b++) {
            long start = b * block;
            long end = Math.min(n, start + block);
            for (int i = 0; i < arrays.length; i++) blocks[b][i] = flat[i].get(NDArrayIndex.interval(start, end));
        }
        return blocks;
    }

    /** A temporary for one block of {@code like} at a time; {@link #view} gives its part for a given block. */
    static INDArray temporary(INDArray like) {
        long length = Math.min(blockLength(like), like.length());
        return Scratch.outsideWorkspaces(() -> Nd4j.createUninitialized(like.dataType(), new long[] {length}, 'c'));
    }

    /** The first {@code block.length()} elements of a {@link #temporary}. */
    static INDArray view(INDArray temporary, INDArray block) {
        return block.length() == temporary.length() ? temporary : temporary.get(NDArrayIndex.interval(0, block.length()));
    }

    /** What an optimizer keeps for one block: its views, its part of the temporary, and its ops with their contexts. */
    interface BlockFactory<B> {
        /** @param views block b of each array given to {@link Plan#blocks}, in order; {@code temporary} is block-sized */
        B block(INDArray[] views, INDArray temporary);
    }

    /**
     * One parameter's blocks, built once the same arrays come back a second step in a row (a rule's reused gradient
     * buffer): building views costs more than the arithmetic saved if the arrays are new every step.
     */
    static final class Plan<B> {
        private final BlockFactory<B> factory;
        private INDArray[] lastArrays = new INDArray[0];
        private List<B> blocks;

        Plan(BlockFactory<B> factory) { this.factory = factory; }

        /** The blocks of these arrays (parameter, update, optimizer state), or null: update them whole this step. */
        List<B> blocks(INDArray... arrays) {
            boolean same = arrays.length == lastArrays.length;
            for (int i = 0; same && i < arrays.length; i++) same = arrays[i] == lastArrays[i];
            if (!same) {
                lastArrays = arrays.clone();
                blocks = null;
                return null;
            }
            if (blocks == null) {
                if (!splittable(arrays)) return null;
                INDArray[][] views = split(arrays);
                INDArray temporary = temporary(arrays[0]);
                blocks = new ArrayList<>(views.length);
                for (INDArray[] v : views) blocks.add(factory.block(v, view(temporary, v[0])));
            }
            return blocks;
        }
    }
}
