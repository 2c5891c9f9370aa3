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
        double[] all = flatDoubles(t);
        double[][] rows = new double[b][n];
        for (int i = 0; i < b; i++) System.arraycopy(all, i * n, rows[i], 0, n);
        return rows;
    }

    /**
     * All values in c order as doubles. A contiguous float or double array is read straight from its buffer;
     * anything else is cast and copied by ND4J first (two more native calls, which showed in node perturbation's
     * profile for its three small [B, C] reads per step).
     */
    private static double[] flatDoubles(INDArray t) {
        int len = (int) t.length();
        boolean contiguous = t.ordering() == 'c' && !t.isView();
        if (contiguous && t.dataType() == DataType.FLOAT) {
            float[] f = new float[len];
            t.data().asNioFloat().get(0, f, 0, len);
            double[] d = new double[len];
            for (int i = 0; i < len; i++) d[i] = f[i];
            return d;
        }
        if (contiguous && t.dataType() == DataType.DOUBLE) {
            double[] d = new double[len];
            t.data().asNioDouble().get(0, d, 0, len);
            return d;
        }
        return t.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
