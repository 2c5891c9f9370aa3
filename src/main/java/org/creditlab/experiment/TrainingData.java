package org.creditlab.experiment;

import java.util.Map;
import org.creditlab.data.DataSplit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The splits a run trains and evaluates on, with targets already built. validation may be null.
 *
 * @param variant "full" or "sample" (the bundled MNIST subset)
 */
public record TrainingData(String dataset, String variant, long[] exampleShape, int classes,
                           Split train, Split validation, Split test, Map<String, String> sha256) {

    /** Inputs, targets (onehot − offset) and labels of one split. */
    public record Split(INDArray x, INDArray y, int[] labels) {
        public int size() { return labels.length; }

        public static Split of(DataSplit s, int classes, double targetOffset, DataType dtype) {
            return new Split(s.features().castTo(dtype), targets(s.labels(), classes, targetOffset, dtype), s.labels());
        }
    }

    /** One-hot rows minus {@code offset}. */
    public static INDArray targets(int[] labels, int classes, double offset, DataType dtype) {
        float[] y = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < classes; c++) y[i * classes + c] = (float) ((c == labels[i] ? 1.0 : 0.0) - offset);
        }
        return Nd4j.create(y, new long[] {labels.length, classes}, 'c').castTo(dtype);
    }
}
