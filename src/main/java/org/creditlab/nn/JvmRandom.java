package org.creditlab.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random arrays drawn on the JVM and written straight into the array's memory: Gaussian noise by {@link Ziggurat}
 * (with {@link SplittableRandom} as the bit source), uniform draws and dropout masks. ND4J's native Gaussian op
 * costs about 56 ns per double and 32 ns per float here (Box–Muller), against about 5 ns for this sampler, and
 * node and weight perturbation draw noise the size of every layer's activity or weights each step (brsf a
 * magnitude per feedback weight, PEPITA a dropout mask per hidden layer).
 *
 * <p>Values are rounded to float before they are stored, whatever the array's type, so a run in float and one
 * on a double copy of the network see exactly the same noise. The generator is seeded from the step's ND4J
 * stream ({@link StepContext#noise()}), so the noise is a function of (seed, step) as before.
 */
public final class JvmRandom {
    private final SplittableRandom random;

    /** A sampler for one step, seeded from that step's stream (noise or dropout). */
    public JvmRandom(Random stepStream) {
        this(new SplittableRandom(stepStream.nextLong()));
    }

    public JvmRandom(SplittableRandom random) {
        this.random = random;
    }

    /** A new c-order array of N(0, std²) draws, rounded to float, of the given type and shape. */
    public INDArray draw(DataType type, double std, long... shape) {
        return fill(Nd4j.createUninitialized(type, shape, 'c'), std);
    }

    /**
     * Overwrites {@code out} (a c-order, non-view FLOAT or DOUBLE array, e.g. a buffer reused between steps)
     * with N(0, std²) draws rounded to float, written straight into its memory; returns {@code out}.
     */
    public INDArray fill(INDArray out, double std) {
        int n = writableLength(out);
        if (out.dataType() == DataType.FLOAT) {
            FloatBuffer b = out.data().asNioFloat();
            for (int i = 0; i < n; i++) b.put(i, (float) (std * Ziggurat.next(random)));
        } else if (out.dataType() == DataType.DOUBLE) {
            DoubleBuffer b = out.data().asNioDouble();
            for (int i = 0; i < n; i++) b.put(i, (float) (std * Ziggurat.next(random)));
        } else {
            throw new IllegalArgumentException("noise is drawn in float or double, not " + out.dataType());
        }
        return out;
    }

    /** Overwrites {@code out} (as for {@link #fill}) with U(0, limit) draws rounded to float; returns {@code out}. */
    public INDArray fillUniform(INDArray out, double limit) {
        int n = writableLength(out);
        if (out.dataType() == DataType.FLOAT) {
            FloatBuffer b = out.data().asNioFloat();
            for (int i = 0; i < n; i++) b.put(i, (float) (limit * random.nextDouble()));
        } else if (out.dataType() == DataType.DOUBLE) {
            DoubleBuffer b = out.data().asNioDouble();
            for (int i = 0; i < n; i++) b.put(i, (float) (limit * random.nextDouble()));
        } else {
            throw new IllegalArgumentException("noise is drawn in float or double, not " + out.dataType());
        }
        return out;
    }

    /**
     * Overwrites {@code out} (as for {@link #fill}) with an inverted-dropout mask: 1/keep with probability keep,
     * else 0 (a unit is kept when a U[0, 1) draw is below keep); returns {@code out}.
     */
    public INDArray fillDropoutMask(INDArray out, double keep) {
        int n = writableLength(out);
        double scale = 1.0 / keep;
        if (out.dataType() == DataType.FLOAT) {
            FloatBuffer b = out.data().asNioFloat();
            for (int i = 0; i < n; i++) b.put(i, random.nextDouble() < keep ? (float) scale : 0f);
        } else if (out.dataType() == DataType.DOUBLE) {
            DoubleBuffer b = out.data().asNioDouble();
            for (int i = 0; i < n; i++) b.put(i, random.nextDouble() < keep ? scale : 0.0);
        } else {
            throw new IllegalArgumentException("masks are float or double, not " + out.dataType());
        }
        return out;
    }

    /**
     * Weight perturbation's draw in one pass over memory: {@code noise} ← N(0, std²) draws rounded to float (as
     * {@link #fill}) and {@code perturbed} ← {@code base} + {@code noise}. All three arrays have the same type and
     * length, c order, not views; returns {@code noise}.
     */
    public INDArray fillAndAdd(INDArray noise, INDArray base, INDArray perturbed, double std) {
        int n = sameLayout(noise, base, perturbed);
        if (noise.dataType() == DataType.FLOAT) {
            FloatBuffer psi = noise.data().asNioFloat();
            FloatBuffer w = base.data().asNioFloat();
            FloatBuffer out = perturbed.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                float d = (float) (std * Ziggurat.next(random));
                psi.put(i, d);
                out.put(i, w.get(i) + d);
            }
        } else if (noise.dataType() == DataType.DOUBLE) {
            DoubleBuffer psi = noise.data().asNioDouble();
            DoubleBuffer w = base.data().asNioDouble();
            DoubleBuffer out = perturbed.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                double d = (float) (std * Ziggurat.next(random));
                psi.put(i, d);
                out.put(i, w.get(i) + d);
            }
        } else {
            throw new IllegalArgumentException("noise is drawn in float or double, not " + noise.dataType());
        }
        return noise;
    }

    /**
     * Random-magnitude sign-concordant feedback in one pass: {@code out} ← sign({@code signSource}) · |R|, R drawn
     * (rounded to float) from N(0, scale²), or from U(−scale, scale) when {@code uniform}; a zero weight gives a zero
     * entry, as sign(0) = 0. Both arrays have the same type and length, c order, not views; returns {@code out}.
     */
    public INDArray fillSignedMagnitudes(INDArray out, INDArray signSource, double scale, boolean uniform) {
        int n = sameLayout(out, signSource, out);
        if (out.dataType() == DataType.FLOAT) {
            FloatBuffer b = out.data().asNioFloat();
            FloatBuffer w = signSource.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                float magnitude = (float) Math.abs(scale * (uniform ? random.nextDouble() : Ziggurat.next(random)));
                b.put(i, Math.signum(w.get(i)) * magnitude);
            }
        } else if (out.dataType() == DataType.DOUBLE) {
            DoubleBuffer b = out.data().asNioDouble();
            DoubleBuffer w = signSource.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                float magnitude = (float) Math.abs(scale * (uniform ? random.nextDouble() : Ziggurat.next(random)));
                b.put(i, Math.signum(w.get(i)) * magnitude);
            }
        } else {
            throw new IllegalArgumentException("feedback is float or double, not " + out.dataType());
        }
        return out;
    }

    /** The common length of arrays that one fused fill reads and writes element by element. */
    private static int sameLayout(INDArray a, INDArray b, INDArray c) {
        int n = writableLength(a);
        writableLength(b);
        writableLength(c);
        for (INDArray other : new INDArray[] {b, c}) {
            if (other.dataType() != a.dataType() || !Arrays.equals(other.shape(), a.shape())) {
                throw new IllegalArgumentException("fused random fills need arrays of one type and shape: " + a.dataType()
                        + Arrays.toString(a.shape()) + " and " + other.dataType() + Arrays.toString(other.shape()));
            }
        }
        return n;
    }

    /**
     * The element count of an array the fill methods may write into directly: c order, not a view, indexable
     * by int. (The three fill loops stay separate on purpose: one loop behind a lambda or a switch per element
     * measured 1.2–2.4× slower for uniform draws and masks.)
     */
    private static int writableLength(INDArray out) {
        if (out.isView() || out.ordering() != 'c') throw new IllegalArgumentException("random values need a c-order array that is not a view");
        long n = out.length();
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("random array too large: " + n + " values");
        return (int) n;
    }
}
