package org.creditlab.nn;

import java.util.Locale;
import org.creditlab.UserError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight initialisers. fanIn and fanOut are per output unit: for a dense layer the input and output widths,
 * for a convolution c_in·k² and c_out·k².
 */
public enum Initializer {
    /** N(0, 2/(fan_in+fan_out)): Glorot & Bengio 2010, nodepert's default. */
    XAVIER_NORMAL,
    /** U(±√(6/(fan_in+fan_out))). */
    XAVIER_UNIFORM,
    /** U(±√(6/fan_in)): He et al. 2015, PEPITA's default. */
    HE_UNIFORM,
    /** N(0, 2/fan_in). */
    HE_NORMAL,
    /** N(0, 1): the NTK parameterisation draws weights this way and scales the layer's output instead. */
    NORMAL,
    /** All zeros (biases). */
    ZEROS;

    public INDArray sample(long[] shape, long fanIn, long fanOut, DataType dtype, Random rng) {
        INDArray w = Nd4j.create(dtype, shape);
        switch (this) {
            case XAVIER_NORMAL -> gaussian(w, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
            case XAVIER_UNIFORM -> uniform(w, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
            case HE_UNIFORM -> uniform(w, Math.sqrt(6.0 / fanIn), rng);
            case HE_NORMAL -> gaussian(w, Math.sqrt(2.0 / fanIn), rng);
            case NORMAL -> gaussian(w, 1.0, rng);
            case ZEROS -> { }
        }
        return w;
    }

    /** The standard deviation of one drawn entry (used by weight normalisation and sign symmetry). */
    public double std(long fanIn, long fanOut) {
        return switch (this) {
            case XAVIER_NORMAL, XAVIER_UNIFORM -> Math.sqrt(2.0 / (fanIn + fanOut));
            case HE_UNIFORM, HE_NORMAL -> Math.sqrt(2.0 / fanIn);
            case NORMAL -> 1.0;
            case ZEROS -> 0.0;
        };
    }

    /** Whether entries are drawn uniformly on ±√3·std (otherwise normally, or zero). */
    public boolean isUniform() {
        return this == XAVIER_UNIFORM || this == HE_UNIFORM;
    }

    static void gaussian(INDArray target, double std, Random rng) {
        Nd4j.getExecutioner().exec(new GaussianDistribution(target, 0.0, std), rng);
    }

    static void uniform(INDArray target, double limit, Random rng) {
        Nd4j.getExecutioner().exec(new UniformDistribution(target, -limit, limit), rng);
    }

    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public static Initializer parse(String name) {
        for (Initializer i : values()) {
            if (i.id().equalsIgnoreCase(name.trim()) || i.name().equalsIgnoreCase(name.trim())) return i;
        }
        throw new UserError("unknown initialiser '" + name
                + "' (expected one of xavier-normal, xavier-uniform, he-uniform, he-normal, normal)");
    }
}
