package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class LossDifferenceTest {
    private static final int B = 6, C = 10;

    private static double[][] random(SplittableRandom r, double scale) {
        double[][] m = new double[B][C];
        for (double[] row : m) for (int c = 0; c < C; c++) row[c] = scale * (2 * r.nextDouble() - 1);
        return m;
    }

    private static double[][] onehot(SplittableRandom r) {
        double[][] y = new double[B][C];
        for (double[] row : y) row[r.nextInt(C)] = 1.0;
        return y;
    }

    private static double[][] plus(double[][] a, double[][] d) {
        double[][] s = new double[B][C];
        for (int b = 0; b < B; b++) for (int c = 0; c < C; c++) s[b][c] = a[b][c] + d[b][c];
        return s;
    }

    /** At a perturbation of 0.1 cancellation is harmless, so the plain difference of the two losses is the reference. */
    @Test void equalsTheDifferenceOfTheLossesForLargePerturbations() {
        SplittableRandom r = new SplittableRandom(1);
        double[][] a = random(r, 3), d = random(r, 0.1), y = onehot(r), at = plus(a, d);
        double[] ce = LossDifference.softmaxCrossEntropy(at, a, y);
        double[] mse = LossDifference.mse(at, a, y);
        var yA = Nd4j.createFromArray(y);
        double[] ceRef = new SoftmaxCrossEntropy().perExample(Nd4j.createFromArray(at), null, yA)
                .sub(new SoftmaxCrossEntropy().perExample(Nd4j.createFromArray(a), null, yA)).toDoubleVector();
        double[] mseRef = new MeanSquaredError().perExample(null, Nd4j.createFromArray(at), yA)
                .sub(new MeanSquaredError().perExample(null, Nd4j.createFromArray(a), yA)).toDoubleVector();
        for (int b = 0; b < B; b++) {
            assertEquals(ceRef[b], ce[b], 1e-12);
            assertEquals(mseRef[b], mse[b], 1e-12);
        }
    }

    /**
     * At a perturbation of 1e-12 the plain difference keeps only about 4 significant digits; ours must match the
     * first-order expansion Σ_c (p_c − y_c) d_c (CE) and mean_c 2(ŷ_c − y_c) d_c (MSE), whose neglected
     * second-order term is ~1e-12 of it.
     */
    @Test void keepsFullPrecisionForTinyPerturbations() {
        SplittableRandom r = new SplittableRandom(2);
        double[][] a = random(r, 3), d = random(r, 1e-12), y = onehot(r), at = plus(a, d);
        double[] ce = LossDifference.softmaxCrossEntropy(at, a, y);
        double[] mse = LossDifference.mse(at, a, y);
        for (int b = 0; b < B; b++) {
            double z = 0;
            for (double v : a[b]) z += Math.exp(v);
            double ceFirst = 0, mseFirst = 0;
            for (int c = 0; c < C; c++) {
                double exact = at[b][c] - a[b][c];     // the representable perturbation
                ceFirst += (Math.exp(a[b][c]) / z - y[b][c]) * exact;
                mseFirst += 2 * (a[b][c] - y[b][c]) * exact / C;
            }
            assertEquals(ceFirst, ce[b], 1e-8 * Math.abs(ceFirst));
            assertEquals(mseFirst, mse[b], 1e-8 * Math.abs(mseFirst));
        }
    }
}
