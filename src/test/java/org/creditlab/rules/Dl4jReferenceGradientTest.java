package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.creditlab.GradCheck;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Loss;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Network;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * Our backprop against DL4J's MultiLayerNetwork on identical parameters and data, in double, for
 * 2-hidden-layer networks (8-6-5-4, batch 9).
 *
 * <p>Conventions, checked here rather than assumed:
 * <ul>
 *   <li>DL4J's {@link LossMSE} is the L2 loss divided by the number of output columns, i.e. the mean over
 *       output units, the same per-example loss as our {@link MeanSquaredError}.</li>
 *   <li>{@code score()} after {@code computeGradientAndScore()} is the minibatch mean (no regulariser
 *       here), the same as our {@code Updates.loss()}.</li>
 *   <li>The gradient DL4J holds after {@code computeGradientAndScore()} is the gradient of the minibatch
 *       <em>sum</em>: DL4J divides by the minibatch size later, in its updater
 *       ({@code miniBatch(true)}). Our updates are of the batch mean, so DL4J's gradients are scaled by
 *       1/B before the comparison. {@link #dl4jGradientIsTheSumOverTheBatch} pins this down.</li>
 * </ul>
 */
class Dl4jReferenceGradientTest {
    private static final int BATCH = 9;
    private static final long IN = 8;
    private static final List<Integer> HIDDEN = List.of(6, 5);
    private static final int OUT = 4;

    enum Head {
        SOFTMAX_CE(Activation.SOFTMAX, new SoftmaxCrossEntropy(), new LossMCXENT(), org.nd4j.linalg.activations.Activation.SOFTMAX),
        SIGMOID_MSE(Activation.SIGMOID, new MeanSquaredError(), new LossMSE(), org.nd4j.linalg.activations.Activation.SIGMOID),
        LINEAR_MSE(Activation.LINEAR, new MeanSquaredError(), new LossMSE(), org.nd4j.linalg.activations.Activation.IDENTITY);

        final Activation ours;
        final Loss loss;
        final ILossFunction dl4jLoss;
        final org.nd4j.linalg.activations.Activation dl4jActivation;

        Head(Activation ours, Loss loss, ILossFunction dl4jLoss, org.nd4j.linalg.activations.Activation dl4jActivation) {
            this.ours = ours;
            this.loss = loss;
            this.dl4jLoss = dl4jLoss;
            this.dl4jActivation = dl4jActivation;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Activation.RELU, Activation.TANH)
                .flatMap(h -> Stream.of(Head.values()).map(head -> Arguments.of(h, head)));
    }

    @ParameterizedTest(name = "{0} hidden, {1} head")
    @MethodSource("cases")
    void gradientsAndLossEqualDl4j(Activation hidden, Head head) {
        long seed = 500 + 10L * hidden.ordinal() + head.ordinal();
        Network ours = GradCheck.network(IN, HIDDEN, OUT, hidden, head.ours, head.loss, seed);
        INDArray x = GradCheck.randn(seed + 1, BATCH, IN);
        INDArray y = head == Head.SOFTMAX_CE ? GradCheck.oneHot(BATCH, OUT, seed + 2)
                : GradCheck.uniformTargets(BATCH, OUT, seed + 2);

        Updates mine = Backprop.gradient(ours, new Batch(x, y, new int[BATCH]));
        MultiLayerNetwork ref = dl4jCopy(ours, hidden, head);
        ref.setInput(x.dup());
        ref.setLabels(y.dup());
        ref.computeGradientAndScore();

        assertEquals(ref.score(), mine.loss(), 1e-12, "batch-mean loss");
        Gradient g = ref.gradient();
        for (int l = 0; l < ours.depth(); l++) {
            for (String kind : List.of("W", "b")) {
                INDArray mineL = mine.get("layer" + l + "." + kind);
                INDArray theirs = g.getGradientFor(l + "_" + kind).div(BATCH); // sum -> batch mean
                assertEquals(mineL.length(), theirs.length());
                // DL4J keeps biases as vectors of length n_out; ours are [1, n_out]
                theirs = theirs.reshape(mineL.shape());
                double diff = maxAbsDiff(mineL, theirs);
                assertTrue(diff < 1e-8, "layer" + l + "." + kind + ": max |ours - dl4j| = " + diff);
                assertTrue(mineL.amaxNumber().doubleValue() > 1e-6, "a vacuous comparison of zeros");
            }
        }
    }

    /** DL4J's gradient before its updater is the sum over the batch: doubling the batch doubles it. */
    @ParameterizedTest(name = "{0} head")
    @MethodSource("heads")
    void dl4jGradientIsTheSumOverTheBatch(Head head) {
        Network ours = GradCheck.network(IN, HIDDEN, OUT, Activation.TANH, head.ours, head.loss, 77);
        INDArray x = GradCheck.randn(78, BATCH, IN);
        INDArray y = head == Head.SOFTMAX_CE ? GradCheck.oneHot(BATCH, OUT, 79) : GradCheck.uniformTargets(BATCH, OUT, 79);
        MultiLayerNetwork ref = dl4jCopy(ours, Activation.TANH, head);
        ref.setInput(x.dup());
        ref.setLabels(y.dup());
        ref.computeGradientAndScore();
        double score1 = ref.score();
        INDArray g1 = ref.gradient().getGradientFor("0_W").dup();
        ref.setInput(org.nd4j.linalg.factory.Nd4j.vstack(x, x));
        ref.setLabels(org.nd4j.linalg.factory.Nd4j.vstack(y, y));
        ref.computeGradientAndScore();
        assertEquals(score1, ref.score(), 1e-12, "the score is a batch mean");
        assertTrue(maxAbsDiff(g1.mul(2), ref.gradient().getGradientFor("0_W")) < 1e-12, "the gradient is a batch sum");
    }

    static Stream<Head> heads() { return Stream.of(Head.values()); }

    /** A DL4J network with our architecture and our parameters, no regularisation, no updater. */
    static MultiLayerNetwork dl4jCopy(Network ours, Activation hidden, Head head) {
        org.nd4j.linalg.activations.Activation h = hidden == Activation.RELU
                ? org.nd4j.linalg.activations.Activation.RELU : org.nd4j.linalg.activations.Activation.TANH;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(1).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list();
        long in = IN;
        int i = 0;
        for (int width : HIDDEN) {
            list.layer(i++, new DenseLayer.Builder().nIn(in).nOut(width).activation(h).build());
            in = width;
        }
        list.layer(i, new OutputLayer.Builder(head.dl4jLoss).nIn(in).nOut(OUT).activation(head.dl4jActivation).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int l = 0; l < ours.depth(); l++) {
            // assign() copies by logical index, so our 'c' arrays land correctly in DL4J's 'f' views
            net.setParam(l + "_W", ours.layer(l).weight().dup());
            INDArray b = net.getParam(l + "_b");
            net.setParam(l + "_b", ours.layer(l).bias().dup().reshape(b.shape()));
        }
        for (int l = 0; l < ours.depth(); l++) {
            assertTrue(maxAbsDiff(ours.layer(l).weight(), net.getParam(l + "_W")) == 0.0);
        }
        return net;
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        double worst = 0;
        for (long r = 0; r < a.rows(); r++) {
            for (long c = 0; c < a.columns(); c++) worst = Math.max(worst, Math.abs(a.getDouble(r, c) - b.getDouble(r, c)));
        }
        return worst;
    }
}
