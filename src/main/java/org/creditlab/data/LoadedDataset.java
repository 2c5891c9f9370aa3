package org.creditlab.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * A loaded dataset.
 *
 * @param name         "mnist", "fmnist", "kmnist" or "cifar10"
 * @param variant      "full", or "sample" for the bundled 10,000-digit MNIST subset
 * @param exampleShape {C, H, W}, e.g. {1, 28, 28} or {3, 32, 32}
 * @param sha256       file name -> SHA-256 (hex) of each file as read, for provenance in results
 * @param source       the directory (or, for CIFAR-10 read from its archive, the directory holding it)
 */
public record LoadedDataset(String name, String variant, long[] exampleShape, int classes,
                            DataSplit train, DataSplit test, Map<String, String> sha256, Path source) {
    public LoadedDataset {
        sha256 = Map.copyOf(sha256);
        exampleShape = exampleShape.clone();
    }

    /** C*H*W, the width of a feature row. */
    public long exampleSize() {
        long n = 1;
        for (long d : exampleShape) n *= d;
        return n;
    }

    /** The same dataset with other splits (preprocessing keeps everything else). */
    LoadedDataset withSplits(DataSplit newTrain, DataSplit newTest) {
        return new LoadedDataset(name, variant, exampleShape, classes, newTrain, newTest, sha256, source);
    }
}
