package org.creditlab.experiment;

import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One seeded source per run, split by purpose. Every draw's seed is derived from (run seed, purpose,
 * index) with SplitMix64, so changing how much one purpose draws never shifts another, and a resumed run
 * that knows its step count draws exactly what an uninterrupted one would.
 */
public final class RandomStreams {
    public enum Purpose { INIT, DATA_ORDER, NOISE, DROPOUT, RULE_INIT, SPLIT }

    private final long seed;
    private final Random noise;
    private final Random dropout;

    public RandomStreams(long seed) {
        this.seed = seed;
        this.noise = Nd4j.getRandomFactory().getNewRandomInstance(derive(Purpose.NOISE, 0));
        this.dropout = Nd4j.getRandomFactory().getNewRandomInstance(derive(Purpose.DROPOUT, 0));
    }

    public long seed() { return seed; }

    /** The seed for the index-th use of a purpose (epoch for data order, step for noise). */
    public long derive(Purpose purpose, long index) {
        return splitMix(splitMix(seed ^ (0x9E3779B97F4A7C15L * (purpose.ordinal() + 1))) + index);
    }

    /** A fresh ND4J generator for a one-off purpose (initialisation, rule state). */
    public Random fresh(Purpose purpose) {
        return Nd4j.getRandomFactory().getNewRandomInstance(derive(purpose, 0));
    }

    /** The noise source, reseeded for this step. */
    public Random noiseFor(long step) {
        noise.setSeed(derive(Purpose.NOISE, step));
        return noise;
    }

    /** The dropout source, reseeded for this step. */
    public Random dropoutFor(long step) {
        dropout.setSeed(derive(Purpose.DROPOUT, step));
        return dropout;
    }

    /** A permutation of 0..n-1 for the given epoch (Fisher–Yates on a SplittableRandom). */
    public int[] permutation(int n, int epoch) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(derive(Purpose.DATA_ORDER, epoch));
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }

    static long splitMix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
