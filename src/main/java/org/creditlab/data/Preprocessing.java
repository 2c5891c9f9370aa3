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
     * applied to the test split, so test statistics never leak into training; for colour images each channel
     * has its own mean and std (nodepert's CIFAR preprocessing). Returns new splits.
     *
     * @throws UserError for an unknown mode
     */
    public static LoadedDataset scale(LoadedDataset d, String mode) {
        switch (mode) {
            case "unit":
                return d;
            case "standardize": {
                long channels = d.exampleShape()[0];
                if (channels > 1) {
                    Stats[] s = channelStats(d.train(), (int) channels);
                    return d.withSplits(apply(d.train(), s), apply(d.test(), s));
                }
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

    /** Per-channel constants for rows laid out channel by channel (C·H·W, as the CIFAR binary files are). */
    public static DataSplit apply(DataSplit split, Stats[] perChannel) {
        INDArray x = split.features().dup('c');
        long rows = x.size(0);
        long block = x.size(1) / perChannel.length;
        for (int c = 0; c < perChannel.length; c++) {
            INDArray cols = x.get(NDArrayIndex.all(), NDArrayIndex.interval(c * block, (c + 1) * block));
            cols.subi(perChannel[c].mean()).divi(perChannel[c].std());
        }
        return new DataSplit(x, split.labels());
    }

    /** The mean and std of each channel's pixels over the split (columns [c·H·W, (c+1)·H·W) of every row). */
    public static Stats[] channelStats(DataSplit split, int channels) {
        INDArray x = split.features();
        long block = x.size(1) / channels;
        Stats[] s = new Stats[channels];
        for (int c = 0; c < channels; c++) {
            INDArray cols = x.get(NDArrayIndex.all(), NDArrayIndex.interval(c * block, (c + 1) * block));
            s[c] = stats(new DataSplit(cols, split.labels()));
        }
        return s;
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
