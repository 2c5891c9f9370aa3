package org.creditlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation without affine parameters that always uses the statistics of the batch it sees (also
 * at evaluation), as in Boopathy &amp; Fiete 2022 ({@code tf.nn.moments(x, [0])}, ε = 1e-6):
 * a = (z − μ) / √(σ² + ε) with μ and σ² (biased) taken over the batch axis for every other coordinate.
 * Backward: ∂L/∂z = (1/√(σ²+ε)) · (g − mean_b g − â ⊙ mean_b(g ⊙ â)), with g = ∂L/∂a and â the output.
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
        long[] shape = deltaA.shape();
        INDArray g = flat(deltaA);
        INDArray meanG = g.mean(true, 0);
        INDArray meanGa = g.mul(c.normalized).mean(true, 0);
        INDArray dz = g.subRowVector(meanG).subi(c.normalized.mulRowVector(meanGa)).muliRowVector(c.inv);
        return shape.length == 2 ? dz : dz.reshape('c', shape);
    }

    private static INDArray flat(INDArray t) {
        return t.rank() == 2 ? t : t.reshape('c', t.size(0), t.length() / t.size(0));
    }

    /** â flattened to [B, D] and 1/√(σ²+ε) as [1, D]. */
    private record Cache(INDArray normalized, INDArray inv) { }
}
