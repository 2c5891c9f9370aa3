package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** L_b = mean_c (ŷ_c − y_c)²: averaged over output units, as in nodepert and Boopathy & Fiete. */
public final class MeanSquaredError implements Loss {
    @Override public String id() { return "mse"; }

    @Override public INDArray perExample(INDArray a, INDArray h, INDArray y) {
        INDArray d = h.sub(y);
        return d.muli(d).mean(1);
    }

    /** The batch mean in double, in a Java loop (reported every step; cheaper than three ND4J ops on [B, C]). */
    @Override public double mean(INDArray a, INDArray h, INDArray y) {
        double[][] out = Rows.asDoubles(h);
        double[][] targets = Rows.asDoubles(y);
        double total = 0;
        for (int b = 0; b < out.length; b++) {
            for (int c = 0; c < out[b].length; c++) {
                double d = out[b][c] - targets[b][c];
                total += d * d;
            }
        }
        return out.length == 0 ? Double.NaN : total / ((double) out.length * out[0].length);
    }

    @Override public INDArray outputDelta(Activation act, INDArray a, INDArray h, INDArray y) {
        double scale = 2.0 / (h.size(0) * h.size(1));
        return act.backward(a, h, h.sub(y).muli(scale));
    }
}
