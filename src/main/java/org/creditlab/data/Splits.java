package org.creditlab.data;

import org.creditlab.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Validation hold-outs taken from the training split. */
public final class Splits {
    private Splits() { }

    /**
     * Holds out {@code n} training examples, chosen by a permutation seeded with {@code seed}, as a
     * validation split. Both parts keep the original example order.
     *
     * @return {train', validation}; with n = 0, {train, null}
     * @throws UserError if n &lt; 0 or n &gt;= the training size
     */
    public static DataSplit[] holdOut(DataSplit train, int n, long seed) {
        check(train, n);
        if (n == 0) return new DataSplit[] {train, null};
        int size = train.size();
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) perm[i] = i;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        boolean[] held = new boolean[size];
        for (int i = 0; i < n; i++) held[perm[i]] = true;
        return partition(train, held, n);
    }

    /** The FIRST n examples as validation (Boopathy &amp; Fiete hold out the first 5,000 CIFAR training images). */
    public static DataSplit[] holdOutFirst(DataSplit train, int n) {
        check(train, n);
        if (n == 0) return new DataSplit[] {train, null};
        boolean[] held = new boolean[train.size()];
        Arrays.fill(held, 0, n, true);
        return partition(train, held, n);
    }

    private static void check(DataSplit train, int n) {
        if (n < 0) throw new UserError("validation size must not be negative (got " + n + ")");
        if (n >= train.size()) {
            throw new UserError("validation size " + n + " must be smaller than the training set (" + train.size() + ")");
        }
    }

    private static DataSplit[] partition(DataSplit train, boolean[] held, int n) {
        int[] keepIdx = new int[train.size() - n];
        int[] heldIdx = new int[n];
        for (int i = 0, k = 0, h = 0; i < held.length; i++) {
            if (held[i]) heldIdx[h++] = i;
            else keepIdx[k++] = i;
        }
        return new DataSplit[] {select(train, keepIdx), select(train, heldIdx)};
    }

    static DataSplit select(DataSplit s, int[] idx) {
        INDArray rows = Nd4j.pullRows(s.features(), 1, idx); // one native gather, not a put per row
        int[] labels = new int[idx.length];
        for (int i = 0; i < idx.length; i++) labels[i] = s.labels()[idx[i]];
        return new DataSplit(rows, labels);
    }
}
