package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Column sums as the product 1ᵀ·m (bias gradients) against sums done by hand. */
class MatMulColumnSumsTest {
    private static final double[][] M = {{1.5, -2.0, 0.25, 4.0}, {0.5, 3.0, -0.25, -1.0}, {-3.0, 0.125, 2.0, 0.0}};

    @Test void sumsEachColumnInDoubleAndFloat() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray m = Nd4j.createFromArray(M).castTo(type);
            INDArray sums = MatMul.columnSums(m, null);
            assertArrayEquals(new long[] {1, 4}, sums.shape());
            assertEquals(type, sums.dataType());
            double[] expected = {-1.0, 1.125, 2.0, 3.0};
            assertArrayEquals(expected, sums.toDoubleVector(), 0.0, type.toString());
        }
    }

    @Test void writesIntoTheGivenBufferAndHandlesOneRow() {
        INDArray out = Nd4j.create(DataType.DOUBLE, 1, 4);
        INDArray row = Nd4j.createFromArray(new double[][] {M[1]});
        assertSame(out, MatMul.columnSums(row, out));
        assertArrayEquals(M[1], out.toDoubleVector(), 0.0);
        // a second call with another batch size gets its own ones and overwrites the buffer
        assertSame(out, MatMul.columnSums(Nd4j.createFromArray(M), out));
        assertArrayEquals(new double[] {-1.0, 1.125, 2.0, 3.0}, out.toDoubleVector(), 0.0);
    }

    @Test void agreesWithTheReductionOnARandomError() {
        INDArray d = Nd4j.rand(DataType.FLOAT, 100, 1024).subi(0.5);
        INDArray viaProduct = MatMul.columnSums(d, null);
        INDArray viaReduction = d.castTo(DataType.DOUBLE).sum(true, 0);
        // float sums of 100 values in [-0.5, 0.5) against double sums: float accumulation error, ~n·eps·max partial sum
        assertEquals(0.0, viaProduct.castTo(DataType.DOUBLE).sub(viaReduction).amaxNumber().doubleValue(), 1e-4);
    }
}
