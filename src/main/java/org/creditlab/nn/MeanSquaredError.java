package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** L_b = mean_c (ŷ_c − y_c)²: averaged over output units, as in nodepert and Boopathy & Fiete. */
public final class MeanSquaredError implements Loss {
    @Override public String id() { return "mse"; }

    @Override public INDArray perExample(INDArray a, INDArray h, INDArray y) {
        INDArray d = h.sub(y);
        return d.muli(d).mean(1);
    }

    @Override public INDArray outputDelta(Activation act, INDArray a, INDArray h, INDArray y) {
        double scale = 2.0 / (h.size(0) * h.size(1));
        return act.backward(a, h, h.sub(y).muli(scale));
    }
}
