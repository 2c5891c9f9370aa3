package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation without affine parameters that always uses the statistics of the batch it sees (also
 * at evaluation), as in Boopathy &amp; Fiete 2022 ({@code tf.nn.moments(x, [0])}, ε = 1e-6):
 * a = (z − μ) / √(σ² + ε) with μ and σ² (biased) taken over the batch axis for every other coordinate.
 * Backward: ∂L/∂z = (1/√(σ²+ε)) · (g − mean_b g − â ⊙ mean_b(g ⊙ â)), with g = ∂L/∂a and â the output.
 * On convolutional activity [B, C, H, W] the statistics are per channel, over the batch and every position
 * ({@code tf.nn.moments(x, [0, 1, 2])} in the reference's NHWC), and so are the means of the backward pass.
 */
public final class BatchNormNoAffine implements Normalization {
    /** Boopathy &amp; Fiete's ε. */
    public static final double DEFAULT_EPS = 1e-6;

    private final double eps;

    public BatchNormNoAffine(double eps) {
        this.eps = eps;
    }

    public BatchNormNoAffine() {
        this(DEFAULT_EPS);
    }

    public double eps() { return eps; }

    @Override public String id() { return "batchnorm-noaffine"; }

    @Override public Normalized forward(INDArray z) {
        if (z.rank() == 4) return forwardChannels(z);
        long[] shape = z.shape();
        INDArray z2 = flat(z);
        INDArray mean = z2.mean(true, 0);
        INDArray centred = z2.subRowVector(mean);
        INDArray var = centred.mul(centred).mean(true, 0);
        INDArray inv = Transforms.pow(var.addi(eps), -0.5, false);
        INDArray a = centred.muliRowVector(inv);
        INDArray out = shape.length == 2 ? a : a.reshape('c', shape);
        return new Normalized(out, new Cache(a, inv));
    }

    @Override public INDArray backward(INDArray deltaA, Normalized record) {
        Cache c = (Cache) record.cache();
        if (c.normalized.rank() == 4) return backwardChannels(deltaA, c);
        long[] shape = deltaA.shape();
        INDArray g = flat(deltaA);
        INDArray meanG = g.mean(true, 0);
        INDArray meanGa = g.mul(c.normalized).mean(true, 0);
        INDArray dz = g.subRowVector(meanG).subi(c.normalized.mulRowVector(meanGa)).muliRowVector(c.inv);
        return shape.length == 2 ? dz : dz.reshape('c', shape);
    }

    /** Per-channel statistics over axes 0, 2, 3 of [B, C, H, W]. */
    private Normalized forwardChannels(INDArray z) {
        INDArray mean = z.mean(0, 2, 3);
        INDArray centred = Broadcast.sub(z, mean, z.ulike(), 1);
        INDArray var = centred.mul(centred).mean(0, 2, 3);
        INDArray inv = Transforms.pow(var.addi(eps), -0.5, false);
        INDArray a = Broadcast.mul(centred, inv, centred, 1);
        return new Normalized(a, new Cache(a, inv));
    }

    private static INDArray backwardChannels(INDArray deltaA, Cache c) {
        INDArray g = deltaA.rank() == 4 ? deltaA : deltaA.reshape('c', c.normalized.shape());
        INDArray meanG = g.mean(0, 2, 3);
        INDArray meanGa = g.mul(c.normalized).mean(0, 2, 3);
        INDArray dz = Broadcast.sub(g, meanG, g.ulike(), 1);
        dz.subi(Broadcast.mul(c.normalized, meanGa, c.normalized.ulike(), 1));
        return Broadcast.mul(dz, c.inv, dz, 1);
    }

    private static INDArray flat(INDArray t) {
        return t.rank() == 2 ? t : t.reshape('c', t.size(0), t.length() / t.size(0));
    }

    /** â flattened to [B, D] and 1/√(σ²+ε) as [1, D] (for conv activity: â as [B, C, H, W] and [C]). */
    private record Cache(INDArray normalized, INDArray inv) { }
}
