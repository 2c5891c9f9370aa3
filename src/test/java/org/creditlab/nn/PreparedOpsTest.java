package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The prepared ops of a step (bias add, ReLU and its VJP, the scale of an update) give bit for bit what the INDArray
 * methods they replaced give, on random values and on the awkward ones (signed zeros, infinities, NaN, subnormals),
 * in float and double, and keep giving it when the arrays, the scalar or the thread change between calls.
 */
class PreparedOpsTest {
    private static final DataType[] TYPES = {DataType.FLOAT, DataType.DOUBLE};

    /** [rows, cols] random values with the awkward ones in the first row. */
    private static INDArray values(DataType type, long rows, long cols, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray a = Nd4j.randn(type, rows, cols);
        double[] awkward = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-40, -1e-40,
                Double.MIN_VALUE, -3.0, 3.0};
        for (int j = 0; j < Math.min(cols, awkward.length); j++) a.putScalar(0, j, awkward[j]);
        return a;
    }

    /** Equal as bit patterns (so -0 differs from 0 and NaN equals NaN), element by element. */
    private static void assertSameBits(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        INDArray e = expected.dup('c');
        INDArray a = actual.dup('c');
        if (e.dataType() == DataType.FLOAT) {
            float[] x = e.data().asFloat();
            float[] y = a.data().asFloat();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), what + ": entry " + i + " (" + x[i] + " vs " + y[i] + ")");
            }
        } else {
            double[] x = e.data().asDouble();
            double[] y = a.data().asDouble();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), what + ": entry " + i + " (" + x[i] + " vs " + y[i] + ")");
            }
        }
    }

    @Test void denseBiasAddIsTheRowVectorAdd() {
        for (DataType type : TYPES) {
            for (long[] s : new long[][] {{64, 1024}, {1, 10}, {7, 13}}) {
                INDArray h = values(type, s[0], 30, 1);
                INDArray w = values(type, 30, s[1], 2);
                INDArray b = values(type, 1, s[1], 3);
                Dense dense = new Dense(30, s[1], 1.0);
                INDArray expected = MatMul.product(h, w, false, false).addiRowVector(b);
                assertSameBits(expected, dense.forward(h, w, b), type + " bias add " + s[0] + "x" + s[1]);
                // the same thread's kept context, now pointed at other arrays
                INDArray b2 = values(type, 1, s[1], 4);
                assertSameBits(MatMul.product(h, w, false, false).addiRowVector(b2), dense.forward(h, w, b2), type + " second bias");
            }
        }
    }

    @Test void reluAndItsVjpAreTheTransformsOnes() {
        for (DataType type : TYPES) {
            INDArray a = values(type, 64, 1024, 5);
            INDArray g = values(type, 64, 1024, 6);
            INDArray before = a.dup();
            assertSameBits(Transforms.relu(a, true), Activation.RELU.apply(a), type + " relu");
            assertSameBits(Transforms.step(a, true).muli(g), Activation.RELU.backward(a, null, g), type + " relu vjp");
            assertSameBits(before, a, type + " relu leaves its input alone");
            INDArray f = a.dup('f');
            assertSameBits(Transforms.relu(f, true), Activation.RELU.apply(f), type + " relu, column-major");
            assertSameBits(Transforms.step(f, true).muli(g), Activation.RELU.backward(f, null, g), type + " relu vjp, mixed orders");
        }
    }

    @Test void preparedScaleIsTheScalarMultiplication() {
        for (DataType type : TYPES) {
            INDArray x = values(type, 784, 50, 7);
            PreparedScale scale = new PreparedScale();
            for (double s : new double[] {0.05, 0.05, 1.0 / 3.0, -0.0, 1e-300}) {
                INDArray out = x.ulike();
                assertSame(out, scale.exec(x, s, out));
                assertSameBits(x.mul(s), out, type + " x * " + s);
            }
            // in place, and on another array than the last call's
            INDArray y = values(type, 3, 4, 8);
            INDArray expected = y.mul(0.7);
            scale.exec(y, 0.7, y);
            assertSameBits(expected, y, type + " in place");
        }
    }

    @Test void aPreparedOpMovedToAnotherThreadStillComputes() throws Exception {
        PreparedOp subtract = new PreparedOp("subtract");
        INDArray a = values(DataType.FLOAT, 5, 6, 9);
        INDArray b = values(DataType.FLOAT, 5, 6, 10);
        INDArray out = a.ulike();
        subtract.exec(out, a, b);
        assertSameBits(a.sub(b), out, "first thread");
        AtomicReference<INDArray> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(subtract.exec(b.ulike(), b, a)));
        t.start();
        t.join();
        assertSameBits(b.sub(a), other.get(), "second thread");
    }

    /** The products through the kept "matmul" contexts against a freshly built {@code Mmul} op per product. */
    @Test void preparedProductsAreTheMmulOps() throws Exception {
        for (DataType type : TYPES) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (double alpha : new double[] {1.0, 0.5, 1.0 / 3.0, 1.0}) {
                        for (long[] s : new long[][] {{64, 784, 30}, {1, 64, 20}, {17, 3, 1}}) {
                            INDArray a = values(type, ta ? s[1] : s[0], ta ? s[0] : s[1], 11);
                            INDArray b = values(type, tb ? s[2] : s[1], tb ? s[1] : s[2], 12).dup(tb ? 'f' : 'c');
                            INDArray expected = Nd4j.create(type, s[0], s[2]);
                            Nd4j.exec(new Mmul(a, b, expected, alpha, 0.0,
                                    MMulTranspose.builder().transposeA(ta).transposeB(tb).build()));
                            String what = type + " " + (ta ? "aT" : "a") + (tb ? "bT" : "b") + " alpha " + alpha + " " + s[0] + "x" + s[1] + "x" + s[2];
                            assertSameBits(expected, MatMul.product(a, b, ta, tb, alpha), what);
                            INDArray out = Nd4j.create(type, s[0], s[2]);
                            assertSame(out, MatMul.into(a, b, ta, tb, alpha, out));
                            assertSameBits(expected, out, what + " into a given array");
                        }
                    }
                }
            }
        }
        // a thread of its own gets its own contexts
        INDArray a = values(DataType.FLOAT, 8, 9, 13);
        INDArray b = values(DataType.FLOAT, 9, 4, 14);
        INDArray expected = Nd4j.create(DataType.FLOAT, 8, 4);
        Nd4j.exec(new Mmul(a, b, expected, 1.0, 0.0, MMulTranspose.builder().build()));
        AtomicReference<INDArray> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(MatMul.product(a, b, false, false)));
        t.start();
        t.join();
        assertSameBits(expected, other.get(), "second thread");
    }
}
