package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.creditlab.nn.Activation;
import org.creditlab.nn.BatchNormNoAffine;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Network;
import org.creditlab.nn.Normalization;
import org.creditlab.nn.Param;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

/** The normalisation of the Align rules' fc-ntk networks (it lives in nn; tested with the rules that need it). */
class BatchNormNoAffineTest {

    private static INDArray gaussian(long seed, double mean, double std, long... shape) {
        INDArray t = Nd4j.create(DataType.DOUBLE, shape);
        Nd4j.getExecutioner().exec(new GaussianDistribution(t, mean, std), Fixtures.rng(seed));
        return t;
    }

    @Test
    void forwardNormalisesEachUnitOverTheBatch() {
        INDArray z = gaussian(1, 3.0, 2.0, 64, 5);
        INDArray a = new BatchNormNoAffine().forward(z).a();
        assertTrue(a.mean(0).norm2Number().doubleValue() < 1e-12);
        INDArray var = a.mul(a).mean(0);
        for (int j = 0; j < 5; j++) assertEquals(1.0, var.getDouble(j), 1e-5);
    }

    /** L = Σ c ⊙ BN(z): backward(c) must equal the finite-difference gradient in z. */
    @Test
    void backwardMatchesFiniteDifferences() {
        BatchNormNoAffine bn = new BatchNormNoAffine();
        INDArray z = gaussian(2, 0.5, 1.5, 7, 4);
        INDArray c = gaussian(3, 0.0, 1.0, 7, 4);
        Normalization.Normalized rec = bn.forward(z);
        INDArray analytic = bn.backward(c, rec);
        double h = 1e-6;
        for (long i = 0; i < z.length(); i++) {
            double v = z.getDouble(i);
            z.putScalar(i, v + h);
            double up = bn.forward(z).a().mul(c).sumNumber().doubleValue();
            z.putScalar(i, v - h);
            double down = bn.forward(z).a().mul(c).sumNumber().doubleValue();
            z.putScalar(i, v);
            assertEquals((up - down) / (2 * h), analytic.getDouble(i), 1e-6, "entry " + i);
        }
    }

    /** The whole fc-ntk network (dense 1/√n, BN, ReLU, MSE) through ErrorPropagation vs finite differences. */
    @Test
    void fcNtkBackpropMatchesFiniteDifferences() {
        Network net = Fixtures.net("fc-ntk", 6, List.of(8, 7), 3, Activation.LINEAR, "mse", Initializer.NORMAL,
                DataType.DOUBLE, 4);
        Batch batch = Fixtures.synthetic(5, 6, 3, 0.1, DataType.DOUBLE, 5);
        Updates g = Backprop.gradient(net, batch);
        double h = 1e-6;
        for (Param p : net.params()) {
            INDArray v = p.value();
            INDArray analytic = g.get(p.name());
            for (long i = 0; i < v.length(); i += 3) {
                double x = v.getDouble(i);
                v.putScalar(i, x + h);
                double up = ErrorPropagation.loss(net, net.forward(batch.x()), batch.y());
                v.putScalar(i, x - h);
                double down = ErrorPropagation.loss(net, net.forward(batch.x()), batch.y());
                v.putScalar(i, x);
                assertEquals((up - down) / (2 * h), analytic.getDouble(i), 1e-7, p.name() + "[" + i + "]");
            }
        }
    }
}
