package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.creditlab.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Activation VJPs and loss output errors against central differences, in double. */
class ActivationAndLossGradientTest {
    private static final double TOLERANCE = 1e-6;

    /** backward(a, φ(a), g) must be ∂/∂a of Σ g ⊙ φ(a), for every activation including the row-wise softmax. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardIsTheVectorJacobianProduct(Activation act) {
        long seed = 40 + act.ordinal();
        INDArray a = GradCheck.randn(seed, 5, 4).muli(1.5);
        INDArray gradH = GradCheck.randn(seed + 1, 5, 4);
        if (act == Activation.RELU) {
            // keep clear of the kink at 0
            a.assign(a.add(org.nd4j.linalg.ops.transforms.Transforms.sign(a, true).muli(0.1)));
        }
        INDArray analytic = act.backward(a, act.apply(a), gradH);
        double err = GradCheck.maxRelativeError(analytic, a, () -> act.apply(a).mul(gradH).sumNumber().doubleValue());
        assertTrue(err < TOLERANCE, act + ": max relative error " + err);
    }

    @Test
    void softmaxRowsSumToOneAndBackwardIsOrthogonalToOnes() {
        INDArray a = GradCheck.randn(7, 6, 5).muli(3);
        INDArray h = Activation.SOFTMAX.apply(a);
        for (long r = 0; r < 6; r++) {
            assertTrue(Math.abs(h.getRow(r).sumNumber().doubleValue() - 1) < 1e-12);
        }
        // shifting all logits of a row does not change softmax, so the VJP sums to 0 in each row
        INDArray d = Activation.SOFTMAX.backward(a, h, GradCheck.randn(8, 6, 5));
        assertTrue(d.sum(1).amaxNumber().doubleValue() < 1e-12);
    }

    record Head(Activation act, Loss loss) { }

    static List<Head> heads() {
        return List.of(new Head(Activation.SOFTMAX, new SoftmaxCrossEntropy()),
                new Head(Activation.SIGMOID, new MeanSquaredError()),
                new Head(Activation.LINEAR, new MeanSquaredError()),
                new Head(Activation.TANH, new MeanSquaredError()),
                new Head(Activation.SOFTMAX, new MeanSquaredError()));
    }

    /** outputDelta(φ, a, φ(a), y) must be ∂(mean_b L_b)/∂a, including the 1/B. */
    @Test
    void outputDeltaIsTheGradientOfTheBatchMeanLoss() {
        int i = 0;
        for (Head head : heads()) {
            long seed = 80 + 3L * i++;
            INDArray a = GradCheck.randn(seed, 7, 3).muli(2);
            INDArray y = head.loss() instanceof SoftmaxCrossEntropy ? GradCheck.oneHot(7, 3, seed + 1)
                    : GradCheck.uniformTargets(7, 3, seed + 1);
            INDArray analytic = head.loss().outputDelta(head.act(), a, head.act().apply(a), y);
            double err = GradCheck.maxRelativeError(analytic, a,
                    () -> head.loss().mean(a, head.act().apply(a), y));
            assertTrue(err < TOLERANCE, head + ": max relative error " + err);
        }
    }

    /** The losses' values by hand: MSE averages over units then examples; CE is −log softmax at the label. */
    @Test
    void lossValuesByHand() {
        INDArray h = Nd4j.createFromArray(new double[][] {{0.2, 0.8}, {1.0, -1.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{0.0, 1.0}, {0.0, 0.0}});
        double mse = new MeanSquaredError().mean(h, h, y);
        double expected = ((0.04 + 0.04) / 2 + (1 + 1) / 2.0) / 2;
        assertTrue(Math.abs(mse - expected) < 1e-15, "mse " + mse);

        INDArray logits = Nd4j.createFromArray(new double[][] {{1.0, 2.0, 3.0}, {1000.0, 0.0, -1000.0}});
        INDArray oneHot = Nd4j.createFromArray(new double[][] {{0, 0, 1}, {0, 1, 0}});
        double ce = new SoftmaxCrossEntropy().mean(logits, Activation.SOFTMAX.apply(logits), oneHot);
        double row0 = -(3 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)));
        double row1 = 1000.0; // −log softmax at 0 when the top logit is 1000: finite thanks to the shift
        assertTrue(Math.abs(ce - (row0 + row1) / 2) < 1e-9, "ce " + ce);
    }

    /** The Java-loop batch means agree with the ND4J per-example values, in float as in double. */
    @Test
    void batchMeanAgreesWithPerExampleValues() {
        for (org.nd4j.linalg.api.buffer.DataType type : List.of(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                org.nd4j.linalg.api.buffer.DataType.DOUBLE)) {
            INDArray a = GradCheck.randn(91, 50, 10).muli(3).castTo(type);
            INDArray oneHot = GradCheck.oneHot(50, 10, 92).castTo(type);
            INDArray targets = GradCheck.uniformTargets(50, 10, 93).castTo(type);
            Loss ce = new SoftmaxCrossEntropy();
            Loss mse = new MeanSquaredError();
            INDArray p = Activation.SOFTMAX.apply(a);
            double ceNd4j = ce.perExample(a, p, oneHot).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
            double mseNd4j = mse.perExample(a, p, targets).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
            double tolerance = type == org.nd4j.linalg.api.buffer.DataType.FLOAT ? 1e-5 : 1e-12;
            assertTrue(Math.abs(ce.mean(a, p, oneHot) - ceNd4j) < tolerance * ceNd4j, type + " ce");
            assertTrue(Math.abs(mse.mean(a, p, targets) - mseNd4j) < tolerance * mseNd4j, type + " mse");
            assertTrue(Math.abs(ce.mean(a.transpose().dup('f').transpose(), p, oneHot) - ceNd4j) < tolerance * ceNd4j,
                    type + " ce on an f-order array");
        }
    }
}
