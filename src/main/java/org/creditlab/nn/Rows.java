package org.creditlab.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies of batch-first arrays into JVM arrays, for rules that finish a step in plain Java loops. */
public final class Rows {
    private Rows() { }

    /**
     * The rows of a batch-first array as doubles ([B, rest] flattened per example), copied out in one bulk
     * read: {@code INDArray.toDoubleMatrix} reads element by element, which for node perturbation's [100, 10]
     * outputs cost as much as the rest of its step.
     */
    public static double[][] asDoubles(INDArray t) {
        int b = (int) t.size(0);
        int n = b == 0 ? 0 : (int) (t.length() / b);
        double[] all = t.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] rows = new double[b][n];
        for (int i = 0; i < b; i++) System.arraycopy(all, i * n, rows[i], 0, n);
        return rows;
    }
}
