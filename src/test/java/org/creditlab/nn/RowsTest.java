package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class RowsTest {
    /** The Java loop gives ND4J's h.sub(y).divi(n) bit for bit, in float and double, at batches whose 1/n is inexact. */
    @Test void differenceOverIsNd4jsTwoOpsBitForBit() {
        Nd4j.getRandom().setSeed(11);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int batch : new int[] {1, 3, 37, 100, 1000}) {
                INDArray h = Nd4j.rand(type, batch, 10), y = Nd4j.rand(type, batch, 10).subi(0.1);
                INDArray expected = h.sub(y).divi(batch);
                INDArray got = Rows.differenceOver(h, y, batch);
                assertEquals(type, got.dataType());
                assertArrayEquals(expected.shape(), got.shape());
                assertArrayEquals(bits(expected), bits(got), type + " batch " + batch);
            }
        }
    }

    /** A view (rows of a larger array) takes the ND4J ops: same values. */
    @Test void differenceOverOfAViewFallsBackToTheOps() {
        INDArray all = Nd4j.rand(DataType.FLOAT, 20, 10), y = Nd4j.rand(DataType.FLOAT, 5, 10);
        INDArray h = all.get(NDArrayIndex.interval(3, 8), NDArrayIndex.all());
        assertArrayEquals(bits(h.dup().sub(y).divi(5)), bits(Rows.differenceOver(h, y, 5)));
    }

    private static long[] bits(INDArray a) {
        double[] d = a.dup('c').data().asDouble();
        long[] b = new long[d.length];
        for (int i = 0; i < d.length; i++) b[i] = Double.doubleToRawLongBits(d[i]);
        return b;
    }
}
