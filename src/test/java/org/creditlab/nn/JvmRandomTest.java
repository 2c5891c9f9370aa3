package org.creditlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class JvmRandomTest {

    @Test void writesTheGeneratorsDrawsInOrderRoundedToFloat() {
        INDArray f = new JvmRandom(new SplittableRandom(7)).draw(DataType.FLOAT, 0.5, 3, 4);
        SplittableRandom r = new SplittableRandom(7);
        float[] expected = new float[12];
        for (int i = 0; i < expected.length; i++) expected[i] = (float) (0.5 * Ziggurat.next(r));
        assertArrayEquals(expected, f.data().asFloat());
        assertArrayEquals(new long[] {3, 4}, f.shape());
        assertEquals(expected[5], f.getFloat(1, 1));           // c order: row 1, column 1 is draw 5
    }

    @Test void floatAndDoubleArraysHoldTheSameValues() {
        INDArray f = new JvmRandom(new SplittableRandom(3)).draw(DataType.FLOAT, 1e-4, 50);
        INDArray d = new JvmRandom(new SplittableRandom(3)).draw(DataType.DOUBLE, 1e-4, 50);
        assertArrayEquals(f.castTo(DataType.DOUBLE).data().asDouble(), d.data().asDouble(), 0.0);
    }

    @Test void hasTheRequestedMeanAndStd() {
        INDArray n = new JvmRandom(new SplittableRandom(11)).draw(DataType.DOUBLE, 2.0, 200_000);
        assertEquals(0.0, n.meanNumber().doubleValue(), 0.02);     // 5 standard errors (2/√200000 ≈ 0.0045)
        assertEquals(2.0, n.stdNumber().doubleValue(), 0.02);
    }

    @Test void fillOverwritesAReusedBufferAndRefusesViews() {
        INDArray buffer = Nd4j.zeros(DataType.FLOAT, 2, 5);
        JvmRandom g = new JvmRandom(new SplittableRandom(1));
        INDArray first = g.fill(buffer, 1.0).dup();
        g.fill(buffer, 1.0);
        assertEquals(10, first.neq(buffer).castTo(DataType.INT32).sumNumber().intValue(), "fresh draws each fill");
        assertThrows(IllegalArgumentException.class, () -> g.fill(Nd4j.zeros(DataType.FLOAT, 4, 4).getRow(1), 1.0));
    }

    @Test void dropoutMaskKeepsTheRightFractionScaledByOneOverKeep() {
        INDArray m = new JvmRandom(new SplittableRandom(5)).fillDropoutMask(Nd4j.create(DataType.FLOAT, 400, 250), 0.9);
        double kept = m.gt(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertEquals(0.9, kept, 0.003);                                   // ~5 standard errors of 100,000 draws
        assertEquals(1.0, m.meanNumber().doubleValue(), 0.004);            // inverted dropout keeps the mean
        assertEquals((float) (1 / 0.9), m.maxNumber().floatValue());
        assertEquals(0f, m.minNumber().floatValue());
    }

    @Test void fillAndAddWritesTheNoiseAndTheBasePlusNoiseInOnePass() {
        INDArray base = Nd4j.linspace(DataType.FLOAT, -1, 0.01, 300).reshape(20, 15).dup('c');
        INDArray noise = Nd4j.create(DataType.FLOAT, 20, 15);
        INDArray perturbed = Nd4j.create(DataType.FLOAT, 20, 15);
        new JvmRandom(new SplittableRandom(4)).fillAndAdd(noise, base, perturbed, 1e-2);
        INDArray alone = new JvmRandom(new SplittableRandom(4)).fill(Nd4j.create(DataType.FLOAT, 20, 15), 1e-2);
        assertEquals(alone, noise, "the same draws as fill");
        assertEquals(base.add(alone), perturbed);
        assertThrows(IllegalArgumentException.class, () -> new JvmRandom(new SplittableRandom(4))
                .fillAndAdd(noise, base.reshape(15, 20).dup(), perturbed, 1e-2), "shapes must agree");
        assertThrows(IllegalArgumentException.class, () -> new JvmRandom(new SplittableRandom(4))
                .fillAndAdd(noise, base.castTo(DataType.DOUBLE), perturbed, 1e-2), "types must agree");
    }
}
