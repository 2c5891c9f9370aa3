package org.creditlab.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
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
        long[] shape = resultShape(a, b, transposeA, transposeB);
        if (!Arrays.equals(out.shape(), shape) || out.ordering() != 'c' || out.isView() || out.dataType() != a.dataType()) {
            throw new IllegalArgumentException("matrix product output must be a row-major " + a.dataType() + " array of shape "
                    + Arrays.toString(shape) + ", got " + out.dataType() + " " + Arrays.toString(out.shape()) + " '" + out.ordering() + "'");
        }
        if (out.length() == 0) return out;
        MMulTranspose t = MMulTranspose.builder().transposeA(transposeA).transposeB(transposeB).build();
        Nd4j.exec(new Mmul(a, b, out, alpha, 0.0, t));
        return out;
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
