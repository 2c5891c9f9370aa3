package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The one-pass sign-concordant fill against ND4J's sign(W) ⊙ |M|. */
class SignConcordantTest {
    private static INDArray weights(DataType type) {
        INDArray w = new JvmRandom(new SplittableRandom(1)).draw(type, 1.0, 300, 70);   // 21,000: not a multiple of the chunk
        w.putScalar(0, 0.0);
        w.putScalar(17, -0.0);
        return w;
    }

    @Test void constantMagnitudeIsSignOfWTimesTheConstant() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray w = weights(type);
            INDArray b = SignConcordant.fill(Nd4j.create(type, 300, 70), w, 0.25);
            assertEquals(Transforms.sign(w, true).muli(0.25), b, type.toString());
            assertEquals(0.0, b.getDouble(0));
            assertEquals(0.0, b.getDouble(17));
        }
    }

    @Test void arrayMagnitudesAreTakenAbsoluteAndMayBeOverwrittenInPlace() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray w = weights(type);
            INDArray m = new JvmRandom(new SplittableRandom(2)).draw(type, 0.3, 300, 70);
            INDArray expected = Transforms.sign(w, true).muli(Transforms.abs(m, true));
            assertEquals(expected, SignConcordant.fill(Nd4j.create(type, 300, 70), w, m), type + " separate output");
            assertEquals(expected, SignConcordant.fill(m, w, m), type + " in place");
        }
    }

    @Test void viewsAndOtherOrdersGoThroughNd4jWithTheSameResult() {
        INDArray w = weights(DataType.FLOAT);
        INDArray m = new JvmRandom(new SplittableRandom(3)).draw(DataType.FLOAT, 0.3, 300, 70);
        INDArray expected = Transforms.sign(w, true).muli(Transforms.abs(m, true));
        INDArray fOrder = Nd4j.create(DataType.FLOAT, new long[] {300, 70}, 'f');
        assertEquals(expected, SignConcordant.fill(fOrder, w, m));
        INDArray wide = Nd4j.create(DataType.FLOAT, 300, 80);
        INDArray view = wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 70));
        assertEquals(expected, SignConcordant.fill(view, w, m));
    }
}
