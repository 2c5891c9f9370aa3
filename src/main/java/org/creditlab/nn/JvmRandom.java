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
 * costs about 56 ns per double and 24–32 ns per float here (Box–Muller), against about 7 ns per value written for
 * this sampler ({@code credit bench} times both), and node and weight perturbation draw noise the size of every
 * layer's activity or weights each step (brsf a magnitude per feedback weight, PEPITA a dropout mask per hidden
 * layer).
 *
 * <p>Values are rounded to float before they are stored, whatever the array's type, so a run in float and one
 * on a double copy of the network see exactly the same noise. The generator is seeded from the step's ND4J
 * stream ({@link StepContext#noise()}), so the noise is a function of (seed, step) as before.
 *
 * <p>Draws are made into a small Java array and copied into the ND4J buffer in bulk: writing element by element
 * through a direct {@link FloatBuffer} cost about 3.5 ns per value here, as much as the draw itself. Each fill
 * draws one chunk at a time into a double array through a {@code Draws}; {@code write} narrows it for float
 * arrays (exactly: every value is already float-valued) and copies it out.
 */
public final class JvmRandom {
    /** Values per bulk copy: small enough to stay in L1 with its companions, large enough to amortise the copy. */
    private static final int CHUNK = 2048;

    /**
     * Fills the first {@code len} entries of a chunk with draws. One call per chunk, so the loop over a chunk is
     * compiled once per kind of draw (a call per value, behind a lambda or a switch, measured 1.2–2.4× slower).
     */
    @FunctionalInterface
    private interface Draws {
        void next(double[] chunk, int len);
    }

    private final SplittableRandom random;
    private final double[] chunk = new double[CHUNK];
    private final float[] narrowed = new float[CHUNK];
    private final float[] floatBase = new float[CHUNK];
    private final double[] doubleBase = new double[CHUNK];

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
        return write(out, gaussian(std));
    }

    /** Overwrites {@code out} (as for {@link #fill}) with U(0, limit) draws rounded to float; returns {@code out}. */
    public INDArray fillUniform(INDArray out, double limit) {
        SplittableRandom r = random;
        return write(out, (c, len) -> {
            for (int j = 0; j < len; j++) c[j] = (float) (limit * r.nextDouble());
        });
    }

    /**
     * Overwrites {@code out} (as for {@link #fill}) with an inverted-dropout mask: 1/keep with probability keep,
     * else 0 (a unit is kept when a U[0, 1) draw is below keep); returns {@code out}. A float array holds
     * (float) (1/keep).
     */
    public INDArray fillDropoutMask(INDArray out, double keep) {
        SplittableRandom r = random;
        double scale = 1.0 / keep;
        return write(out, (c, len) -> {
            for (int j = 0; j < len; j++) c[j] = r.nextDouble() < keep ? scale : 0.0;
        });
    }

    /**
     * Weight perturbation's draw in one pass over memory: {@code noise} ← N(0, std²) draws rounded to float (the
     * draws {@link #fill} would make) and {@code perturbed} ← {@code base} + {@code noise}. The three arrays have
     * one type and shape, c order, not views; returns {@code noise}.
     */
    public INDArray fillAndAdd(INDArray noise, INDArray base, INDArray perturbed, double std) {
        int n = sameLayout(noise, base, perturbed);
        Draws draws = gaussian(std);
        if (noise.dataType() == DataType.FLOAT) {
            FloatBuffer psi = noise.data().asNioFloat();
            FloatBuffer w = base.data().asNioFloat();
            FloatBuffer out = perturbed.data().asNioFloat();
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                draws.next(chunk, len);
                narrow(len);
                w.get(start, floatBase, 0, len);
                for (int j = 0; j < len; j++) floatBase[j] += narrowed[j];
                psi.put(start, narrowed, 0, len);
                out.put(start, floatBase, 0, len);
            }
        } else if (noise.dataType() == DataType.DOUBLE) {
            DoubleBuffer psi = noise.data().asNioDouble();
            DoubleBuffer w = base.data().asNioDouble();
            DoubleBuffer out = perturbed.data().asNioDouble();
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                draws.next(chunk, len);
                w.get(start, doubleBase, 0, len);
                for (int j = 0; j < len; j++) doubleBase[j] += chunk[j];
                psi.put(start, chunk, 0, len);
                out.put(start, doubleBase, 0, len);
            }
        } else {
            throw new IllegalArgumentException("noise is drawn in float or double, not " + noise.dataType());
        }
        return noise;
    }

    /** N(0, std²) draws rounded to float (so float and double arrays receive the same values). */
    private Draws gaussian(double std) {
        SplittableRandom r = random;
        return (c, len) -> {
            for (int j = 0; j < len; j++) c[j] = (float) (std * Ziggurat.next(r));
        };
    }

    /** Overwrites {@code out} chunk by chunk with {@code draws}, narrowed to float for a float array. */
    private INDArray write(INDArray out, Draws draws) {
        int n = writableLength(out);
        if (out.dataType() == DataType.FLOAT) {
            FloatBuffer b = out.data().asNioFloat();
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                draws.next(chunk, len);
                narrow(len);
                b.put(start, narrowed, 0, len);
            }
        } else if (out.dataType() == DataType.DOUBLE) {
            DoubleBuffer b = out.data().asNioDouble();
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                draws.next(chunk, len);
                b.put(start, chunk, 0, len);
            }
        } else {
            throw new IllegalArgumentException("random values are drawn in float or double, not " + out.dataType());
        }
        return out;
    }

    private void narrow(int len) {
        for (int j = 0; j < len; j++) narrowed[j] = (float) chunk[j];
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
     * by int.
     */
    private static int writableLength(INDArray out) {
        if (out.isView() || out.ordering() != 'c') throw new IllegalArgumentException("random values need a c-order array that is not a view");
        long n = out.length();
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("random array too large: " + n + " values");
        return (int) n;
    }
}
