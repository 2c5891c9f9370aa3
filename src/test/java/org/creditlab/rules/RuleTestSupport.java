package org.creditlab.rules;

import java.util.List;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Loss;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.nn.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Small deterministic networks, batches and vector helpers shared by the rule tests. */
final class RuleTestSupport {
    private RuleTestSupport() { }

    static Random rng(long seed) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    static Network net(int in, List<Integer> hidden, int out, Activation hiddenAct, Activation outAct,
                       Loss loss, boolean bias, DataType dtype, long seed) {
        NetworkSpec spec = new NetworkSpec("fc", new long[] {in}, hidden, out, hiddenAct, outAct,
                Initializer.XAVIER_NORMAL, bias, loss, dtype);
        return spec.build(rng(seed));
    }

    /** A batch of Gaussian inputs with one-hot targets (labels b mod C). */
    static Batch batch(int b, int in, int classes, DataType dtype, long seed) {
        INDArray x = Nd4j.create(DataType.DOUBLE, b, in);
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(x, 0.0, 1.0), rng(seed));
        INDArray y = Nd4j.zeros(DataType.DOUBLE, b, classes);
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = i % classes;
            y.putScalar(i, labels[i], 1.0);
        }
        return new Batch(x.castTo(dtype), y.castTo(dtype), labels);
    }

    static StepContext ctx(long step, long seed) {
        return new StepContext(step, 0, 0.01, rng(seed), rng(seed + 7_919));
    }

    /** The batch repeated {@code times} times (row blocks), so per-example noise gives that many draws per example. */
    static Batch replicate(Batch batch, int times) {
        INDArray x = Nd4j.tile(batch.x(), times, 1);
        INDArray y = Nd4j.tile(batch.y(), times, 1);
        int[] labels = new int[batch.size() * times];
        for (int i = 0; i < labels.length; i++) labels[i] = batch.labels()[i % batch.size()];
        return new Batch(x, y, labels);
    }

    static double cosine(INDArray a, INDArray b) {
        INDArray u = a.castTo(DataType.DOUBLE).reshape(-1);
        INDArray v = b.castTo(DataType.DOUBLE).reshape(-1);
        return u.mul(v).sumNumber().doubleValue() / (u.norm2Number().doubleValue() * v.norm2Number().doubleValue());
    }

    /**
     * A copy of a step's updates that outlives the rule's next {@code compute} (which may reuse the arrays it
     * returned, as the {@link LearningRule#compute} contract allows).
     */
    static Updates snapshot(Updates u) {
        Updates copy = new Updates().loss(u.loss());
        u.asMap().forEach((k, v) -> copy.put(k, v.dup()));
        u.scalars().forEach(copy::scalar);
        return copy;
    }

    /** The mean of {@code draws} estimates of a rule, each with fresh noise from seed base + i. */
    static Updates average(LearningRule rule, Network net, Batch batch, RuleState state, int draws, long base) {
        Updates mean = new Updates();
        StepContext context = ctx(0, base);       // one native generator, reseeded per draw (creating one is slow)
        for (int i = 0; i < draws; i++) {
            context.noise().setSeed(base + i);
            Updates u = rule.compute(net, batch, state, context);
            for (Param p : net.params()) {
                INDArray g = u.get(p.name()).castTo(DataType.DOUBLE);
                INDArray acc = mean.get(p.name());
                if (acc == null) mean.put(p.name(), g.dup()); else acc.addi(g);
            }
        }
        for (Param p : net.params()) mean.get(p.name()).divi(draws);
        return mean;
    }
}
