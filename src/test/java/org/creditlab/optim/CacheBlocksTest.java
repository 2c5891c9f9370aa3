package org.creditlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.creditlab.nn.Param;
import org.creditlab.rules.Updates;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * SGD and momentum over a large parameter whose gradient comes in the same buffer every step run block by block
 * ({@link CacheBlocks}); every step must still be bit for bit what ND4J's whole-array ops give ({@code w.subi(g.mul(lr))};
 * {@code v.muli(mu).addi(g.mul(lr))}, {@code w.subi(v)}), across block boundaries and the short last block, in float and
 * double, row- and column-major, with awkward values.
 */
class CacheBlocksTest {
    /** 300 x 500: 150,000 values, 2.3 blocks of floats and 4.6 of doubles, so both end in a short block. */
    private static final long ROWS = 300;
    private static final long COLS = 500;

    private static void fill(INDArray a, long seed) {
        Nd4j.getRandom().setSeed(seed);
        a.assign(Nd4j.randn(a.dataType(), a.shape()).muli(0.3));
        double[] awkward = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-40, -1e-40};
        long blockStart = CacheBlocks.blockLength(a);   // the first values of the second block, and the very last
        for (int j = 0; j < awkward.length; j++) {
            a.putScalar(blockStart + j, awkward[j]);
            a.putScalar(a.length() - 1 - j, awkward[j]);
        }
    }

    private static void assertSameBits(INDArray expected, INDArray actual, String what) {
        INDArray e = expected.dup('c');
        INDArray a = actual.dup('c');
        if (e.dataType() == DataType.FLOAT) {
            float[] x = e.data().asFloat();
            float[] y = a.data().asFloat();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), what + ": entry " + i);
            }
        } else {
            double[] x = e.data().asDouble();
            double[] y = a.data().asDouble();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), what + ": entry " + i);
            }
        }
    }

    @Test void blockedStepsAreTheWholeArrayStepsBitForBit() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (char order : new char[] {'c', 'f'}) {
                String what = type + " " + order;
                INDArray w = Nd4j.create(type, new long[] {ROWS, COLS}, order);
                fill(w, 1);
                INDArray expected = w.dup(order);
                INDArray g = Nd4j.create(type, new long[] {ROWS, COLS}, order);   // one reused gradient buffer
                assertTrue(CacheBlocks.splittable(w, g), what + " splittable");
                Sgd sgd = new Sgd();
                List<Param> params = List.of(new Param("layer0.W", 0, Param.Kind.WEIGHT, w));
                double[] rates = {0.01, 0.01, 1.0 / 3.0, 0.01};
                for (int step = 0; step < rates.length; step++) {
                    fill(g, 10 + step);
                    sgd.apply(params, new Updates().put("layer0.W", g), rates[step]);
                    expected.subi(g.mul(rates[step]));
                    assertSameBits(expected, w, what + " step " + step);
                }
                // a fresh gradient array (a rule without a reused buffer) takes the whole-array path, same values
                INDArray fresh = g.dup(order);
                sgd.apply(params, new Updates().put("layer0.W", fresh), 0.02);
                expected.subi(fresh.mul(0.02));
                assertSameBits(expected, w, what + " fresh gradient");
            }
        }
    }

    @Test void blockedMomentumStepsAreTheWholeArrayStepsBitForBit() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (char order : new char[] {'c', 'f'}) {
                String what = "momentum " + type + " " + order;
                INDArray w = Nd4j.create(type, new long[] {ROWS, COLS}, order);
                fill(w, 2);
                INDArray expected = w.dup(order);
                INDArray v = w.ulike().assign(0.0);
                INDArray g = Nd4j.create(type, new long[] {ROWS, COLS}, order);
                Momentum momentum = new Momentum(0.9);
                List<Param> params = List.of(new Param("layer0.W", 0, Param.Kind.WEIGHT, w));
                double[] rates = {0.03, 0.03, 0.003, 0.03};
                for (int step = 0; step < rates.length; step++) {
                    fill(g, 30 + step);
                    momentum.apply(params, new Updates().put("layer0.W", g), rates[step]);
                    v.muli(0.9).addi(g.mul(rates[step]));
                    expected.subi(v);
                    assertSameBits(expected, w, what + " step " + step);
                    assertSameBits(v, momentum.state().get("velocity.layer0.W"), what + " velocity, step " + step);
                }
                // a restored velocity is a new array: the blocks follow it
                momentum.loadState(Map.of("velocity.layer0.W", v));
                for (int step = 0; step < 3; step++) {
                    fill(g, 40 + step);
                    momentum.apply(params, new Updates().put("layer0.W", g), 0.03);
                    v.muli(0.9).addi(g.mul(0.03));
                    expected.subi(v);
                    assertSameBits(expected, w, what + " after loadState, step " + step);
                }
            }
        }
    }

    @Test void onlyDenseArraysOfOneLayoutAreSplit() {
        INDArray w = Nd4j.create(DataType.FLOAT, ROWS, COLS);
        assertFalse(CacheBlocks.splittable(w, Nd4j.create(DataType.FLOAT, new long[] {ROWS, COLS}, 'f')), "mixed orders");
        assertFalse(CacheBlocks.splittable(w, Nd4j.create(DataType.DOUBLE, ROWS, COLS)), "mixed types");
        assertFalse(CacheBlocks.splittable(w, Nd4j.create(DataType.FLOAT, COLS, ROWS)), "other shape");
        assertFalse(CacheBlocks.splittable(Nd4j.create(DataType.FLOAT, 10, 20), Nd4j.create(DataType.FLOAT, 10, 20)), "small");
        INDArray wide = Nd4j.create(DataType.FLOAT, ROWS, COLS + 7);
        INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, COLS));
        assertFalse(CacheBlocks.splittable(view, w), "a view with gaps between its rows");
    }

    @Test void aViewParameterIsUpdatedAndTheRestOfItsArrayIsNot() {
        INDArray wide = Nd4j.create(DataType.FLOAT, ROWS, COLS + 7);
        fill(wide, 3);
        INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, COLS));
        INDArray before = wide.dup();
        INDArray g = Nd4j.create(DataType.FLOAT, ROWS, COLS);
        Sgd sgd = new Sgd();
        List<Param> params = List.of(new Param("layer0.W", 0, Param.Kind.WEIGHT, view));
        for (int step = 0; step < 3; step++) {
            fill(g, 20 + step);
            sgd.apply(params, new Updates().put("layer0.W", g), 0.05);
            before.get(NDArrayIndex.all(), NDArrayIndex.interval(0, COLS)).subi(g.mul(0.05));
        }
        assertSameBits(before, wide, "the view's steps, and the columns outside it untouched");
    }
}
