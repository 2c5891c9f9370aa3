package org.creditlab.nn;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products for the training step, computed by ND4J's {@code Mmul} op straight into a new row-major
 * ('c') result. {@code INDArray.mmul} instead allocates the 'c' result, computes into a second, column-major
 * temporary and copies it over: two allocations of the full result and a copy per product. For a 784 × 500
 * weight gradient at batch 1 that overhead was 4–10× the product itself (measured: 4.7–8.8 ms against
 * 0.7–1.8 ms), and it is paid by every rule's forward pass, error propagation and weight gradient.
 * Transposes are passed to the op as flags, so no transposed view is materialised either.
 */
public final class MatMul {
    private MatMul() { }

    /**
     * Per thread, libnd4j's "matmul" op (the one {@code Mmul} runs) kept prepared for each pair of transpose flags
     * (index 2·transposeA + transposeB; integer arguments transposeA, transposeB, transposeResult). Building an
     * {@code Mmul} and its context per product cost 15–30 µs more than re-running a kept context, measured on
     * [64, 1024]·[1024, 10], [1, 64]·[64, 1024] and [1024, 64]·[64, 10] products that take 25–65 µs themselves;
     * a step has 5–7 such small products next to its large ones.
     * Same op, same arguments: the results are bit for bit the same.
     */
    private static final ThreadLocal<PreparedOp[]> PREPARED = ThreadLocal.withInitial(() -> new PreparedOp[] {
        new PreparedOp("matmul", new long[] {0, 0, 0}), new PreparedOp("matmul", new long[] {0, 1, 0}),
        new PreparedOp("matmul", new long[] {1, 0, 0}), new PreparedOp("matmul", new long[] {1, 1, 0})});

    /** op(a) · op(b), where op transposes when the flag is set. */
    public static INDArray product(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        return product(a, b, transposeA, transposeB, 1.0);
    }

    /** alpha · op(a) · op(b) (alpha is applied inside the product, not as a separate pass). */
    public static INDArray product(INDArray a, INDArray b, boolean transposeA, boolean transposeB, double alpha) {
        INDArray c = Nd4j.createUninitialized(a.dataType(), resultShape(a, b, transposeA, transposeB), 'c');
        return into(a, b, transposeA, transposeB, alpha, c);
    }

    /**
     * alpha · op(a) · op(b) written into {@code out} (a row-major, non-view array of the result's shape, for
     * example a {@link Scratch} buffer reused from step to step); returns {@code out}.
     */
    public static INDArray into(INDArray a, INDArray b, boolean transposeA, boolean transposeB, double alpha, INDArray out) {
        return run(a, b, transposeA, transposeB, alpha, 0.0, out);
    }

    /**
     * out + alpha · op(a) · op(b), in place in {@code out} (same requirements as {@link #into}): the product's own
     * β = 1, so an update such as W − η·hᵀδ is one pass that never writes hᵀδ to memory. Its sums are not always
     * rounded as {@code into} followed by a subtraction rounds them (oneDNN may pick another kernel or fuse the
     * add), so it is for callers that accept last-bit differences; {@code credit bench} measures both.
     */
    public static INDArray accumulate(INDArray a, INDArray b, boolean transposeA, boolean transposeB, double alpha, INDArray out) {
        return run(a, b, transposeA, transposeB, alpha, 1.0, out);
    }

    private static INDArray run(INDArray a, INDArray b, boolean transposeA, boolean transposeB, double alpha, double beta,
                                INDArray out) {
        long[] shape = resultShape(a, b, transposeA, transposeB);
        if (!Arrays.equals(out.shape(), shape) || out.ordering() != 'c' || out.isView() || out.dataType() != a.dataType()) {
            throw new IllegalArgumentException("matrix product output must be a row-major " + a.dataType() + " array of shape "
                    + Arrays.toString(shape) + ", got " + out.dataType() + " " + Arrays.toString(out.shape()) + " '" + out.ordering() + "'");
        }
        if (out.length() == 0) return out;
        PREPARED.get()[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)].floatArgs(alpha, beta).exec(out, a, b);
        return out;
    }

    /** Read-only rows of ones by (type, length), shared by every thread: the left operand of {@link #columnSums}. */
    private static final Map<OnesKey, INDArray> ONES = new ConcurrentHashMap<>();

    private record OnesKey(DataType type, long length) { }

    /**
     * The sums of a matrix's columns as a [1, n] row, 1ᵀ·m, into {@code out} (or a new array when it is null): a
     * layer's bias gradient. libnd4j's column reduction {@code sum(0)} took 126 µs on a [64, 1024] error and
     * 226 µs on [100, 1024], as long as the weight update; the product takes 16–20 µs. On this machine's oneDNN
     * both add the rows in order: float sums came out bit for bit the reduction's for batches 1–4096, double sums
     * differed in the last bits from batch 500 (the product then splits the batch).
     */
    public static INDArray columnSums(INDArray m, INDArray out) {
        INDArray ones = ONES.computeIfAbsent(new OnesKey(m.dataType(), m.size(0)),
                k -> Scratch.outsideWorkspaces(() -> Nd4j.ones(k.type(), 1, k.length())));
        INDArray target = out != null ? out : Nd4j.createUninitialized(m.dataType(), new long[] {1, m.size(1)}, 'c');
        return into(ones, m, false, false, 1.0, target);
    }

    private static long[] resultShape(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matrix product needs matrices, got ranks " + a.rank() + " and " + b.rank());
        }
        long rows = transposeA ? a.size(1) : a.size(0);
        long inner = transposeA ? a.size(0) : a.size(1);
        long innerB = transposeB ? b.size(1) : b.size(0);
        long cols = transposeB ? b.size(0) : b.size(1);
        if (inner != innerB) {
            throw new IllegalArgumentException("matrix product of incompatible shapes " + Arrays.toString(a.shape())
                    + (transposeA ? "ᵀ" : "") + " and " + Arrays.toString(b.shape()) + (transposeB ? "ᵀ" : ""));
        }
        return new long[] {rows, cols};
    }
}
