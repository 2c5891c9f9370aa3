package org.creditlab.data;

import org.creditlab.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Input scaling applied after loading, with statistics taken from the training split only. */
public final class Preprocessing {
    private Preprocessing() { }

    /** The scaling modes {@link #scale} knows. */
    public static final java.util.List<String> MODES = java.util.List.of("unit", "standardize");

    /** Global mean and (population) standard deviation of a split's pixels. */
    public record Stats(double mean, double std) { }

    /**
     * "unit": keep byte/255 in [0,1] (returns {@code d} itself). "standardize": (x - mean) / std with the
     * global mean and std of the TRAIN split's pixels (nodepert's MNIST preprocessing), the same constants
     * applied to the test split, so test statistics never leak into training. Returns new splits.
     *
     * @throws UserError for an unknown mode
     */
    public static LoadedDataset scale(LoadedDataset d, String mode) {
        switch (mode) {
            case "unit":
                return d;
            case "standardize": {
                Stats s = stats(d.train());
                return d.withSplits(apply(d.train(), s), apply(d.test(), s));
            }
            default:
                throw new UserError("unknown scaling '" + mode + "' (known: unit, standardize)");
        }
    }

    /** Applies given constants, e.g. to a validation split held out after scaling was decided. */
    public static DataSplit apply(DataSplit split, Stats s) {
        return new DataSplit(split.features().sub(s.mean()).divi(s.std()), split.labels());
    }

    /** Accumulated in double over blocks of rows: float sums over 47 million pixels would lose digits. */
    public static Stats stats(DataSplit split) {
        INDArray x = split.features();
        long rows = x.size(0);
        double sum = 0;
        double sumSq = 0;
        for (long start = 0; start < rows; start += 4096) {
            long end = Math.min(rows, start + 4096);
            float[] v = x.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup('c').data().asFloat();
            for (float f : v) {
                sum += f;
                sumSq += (double) f * f;
            }
        }
        double n = (double) x.length();
        double mean = sum / n;
        double var = Math.max(0, sumSq / n - mean * mean);
        if (var == 0) throw new UserError("cannot standardize: the training pixels are constant");
        return new Stats(mean, Math.sqrt(var));
    }
}
