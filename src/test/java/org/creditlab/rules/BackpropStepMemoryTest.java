package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.creditlab.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * bp's step runs its pass and error sweep in a reused block of memory (StepMemory, an ND4J workspace) whose arrays
 * are not zeroed between steps. Its updates must be bit for bit the gradient computed in fresh (zeroed) memory,
 * step after step, and must not change when the next step reuses the block: a kernel that read memory it had not
 * written would show up here.
 */
class BackpropStepMemoryTest {
    @ParameterizedTest
    @ValueSource(strings = {"conv6k5p2,relu,maxpool2,conv16k5,relu,maxpool2,fc12,relu,fc3", "conv4k3s2same,relu,conv4k3same,relu,fc3",
            "fc7,relu,fc3"})
    void updatesInReusedMemoryEqualFreshGradientsEveryStep(String spec) {
        long[] in = {1, 12, 12};
        Network viaStep = ConvFixtures.build(spec, in, 3, Activation.RELU, Activation.SOFTMAX, new SoftmaxCrossEntropy(), true,
                DataType.FLOAT, 3);
        Network fresh = viaStep.copy();
        Backprop bp = new Backprop();
        Sgd sgdA = new Sgd(), sgdB = new Sgd();
        for (int step = 0; step < 4; step++) {
            INDArray x = ConvFixtures.images(10 + step, 5 - step % 2, in, DataType.FLOAT);   // batch sizes 5, 4, 5, 4
            Batch batch = batchOf(x, step);
            Updates u = bp.compute(viaStep, batch, null, RuleTestSupport.ctx(step, 1));
            Updates g = Backprop.gradient(fresh, batch);
            assertEquals(g.loss(), u.loss(), 0.0, "loss at step " + step);
            java.util.Map<String, float[]> before = new java.util.HashMap<>();
            for (Param p : viaStep.params()) {
                INDArray a = u.get(p.name()), b = g.get(p.name());
                assertFalse(a.isAttached(), p.name() + " left in the step's memory");
                assertArrayEquals(b.dup().data().asFloat(), a.dup().data().asFloat(), 0f, p.name() + " at step " + step);
                before.put(p.name(), a.dup().data().asFloat());
            }
            sgdA.apply(viaStep.params(), u, 0.1);
            sgdB.apply(fresh.params(), g, 0.1);
            for (Param p : viaStep.params()) assertArrayEquals(before.get(p.name()), u.get(p.name()).dup().data().asFloat(), 0f);
        }
        for (int i = 0; i < viaStep.params().size(); i++) {
            assertArrayEquals(fresh.params().get(i).value().dup().data().asFloat(), viaStep.params().get(i).value().dup().data().asFloat(), 0f);
        }
    }

    private static Batch batchOf(INDArray x, int seed) {
        int n = (int) x.size(0);
        int[] labels = new int[n];
        INDArray y = org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int b = 0; b < n; b++) {
            labels[b] = (b + seed) % 3;
            y.putScalar(b, labels[b], 1.0);
        }
        return new Batch(x, y, labels);
    }
}
