package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * out = x · s for a scalar s, as a {@link PreparedOp}: the factor lives in a kept rank-0 array of x's type, written
 * only when s changes (a learning rate changes at most once per step), so the op's context is kept from step to step.
 * Like ND4J's scalar multiplication ({@code x.mul(s, out)}), s is rounded to x's type before the product, so the
 * results are the same bit for bit.
 */
public final class PreparedScale {
    private final PreparedOp multiply = new PreparedOp("multiply");
    private INDArray factor;
    private double value;

    public INDArray exec(INDArray x, double s, INDArray out) {
        if (factor == null || factor.dataType() != x.dataType()) {
            factor = Scratch.outsideWorkspaces(() -> Nd4j.scalar(x.dataType(), s));
            value = s;
        } else if (Double.compare(s, value) != 0) {
            factor.putScalar(0, s);
            value = s;
        }
        return multiply.exec(out, x, factor);
    }
}
