package org.creditlab.rules;

import org.creditlab.nn.LayerRecord;
import org.creditlab.nn.Loss;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.Rows;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-example loss differences δL_b = L(ỹ_b) − L(ŷ_b) between a perturbed and a clean output, formed in
 * double so that the cancellation of two nearly equal losses (true size ≈ σ‖∂L/∂a‖) does not drown in
 * float32 rounding (rules.md §1.5). The outputs are copied to double first (exact), and the difference is
 * written so that no large term is subtracted from another:
 * <ul>
 *   <li>MSE: δL_b = mean_c (ỹ−ŷ)(ỹ+ŷ−2y);</li>
 *   <li>softmax cross-entropy with d = ã − a on the logits and p = softmax(a):
 *       δL_b = (Σ_c y_c)·log1p(Σ_c p_c expm1(d_c)) − Σ_c y_c d_c, with the JDK's exact expm1 and log1p;</li>
 *   <li>any other loss: the difference of its per-example values evaluated in double.</li>
 * </ul>
 * The two known losses are computed in plain Java loops over the [B, C] outputs: a handful of numbers per
 * example, where a chain of ND4J ops cost more than node perturbation's whole noisy pass.
 */
final class LossDifference {
    private LossDifference() { }

    /** δL_b as a double vector [B]. */
    static INDArray perExample(Loss loss, LayerRecord perturbed, LayerRecord clean, INDArray y) {
        return Nd4j.createFromArray(values(loss, perturbed, clean, y));
    }

    /** δL_b as a Java array (node perturbation forms its per-example coefficients from it without more ND4J calls). */
    static double[] values(Loss loss, LayerRecord perturbed, LayerRecord clean, INDArray y) {
        if (loss instanceof MeanSquaredError) {
            return mse(Rows.asDoubles(perturbed.hBeforeDropout()), Rows.asDoubles(clean.hBeforeDropout()), Rows.asDoubles(y));
        }
        if (loss instanceof SoftmaxCrossEntropy) {
            return softmaxCrossEntropy(Rows.asDoubles(perturbed.a()), Rows.asDoubles(clean.a()), Rows.asDoubles(y));
        }
        return generic(loss, perturbed, clean, y).toDoubleVector();
    }

    private static INDArray generic(Loss loss, LayerRecord perturbed, LayerRecord clean, INDArray y) {
        INDArray yd = y.castTo(DataType.DOUBLE);
        INDArray lt = loss.perExample(perturbed.a().castTo(DataType.DOUBLE),
                perturbed.hBeforeDropout().castTo(DataType.DOUBLE), yd);
        INDArray l = loss.perExample(clean.a().castTo(DataType.DOUBLE),
                clean.hBeforeDropout().castTo(DataType.DOUBLE), yd);
        return lt.subi(l);
    }

    /** mean_c (ỹ−ŷ)(ỹ+ŷ−2y) per row. */
    static double[] mse(double[][] perturbed, double[][] clean, double[][] y) {
        double[] out = new double[clean.length];
        for (int b = 0; b < clean.length; b++) {
            double s = 0;
            for (int c = 0; c < clean[b].length; c++) {
                s += (perturbed[b][c] - clean[b][c]) * (perturbed[b][c] + clean[b][c] - 2 * y[b][c]);
            }
            out[b] = s / clean[b].length;
        }
        return out;
    }

    /** (Σ y)·log1p(Σ p expm1(d)) − Σ y d per row, d = perturbed − clean logits, p = softmax(clean). */
    static double[] softmaxCrossEntropy(double[][] perturbed, double[][] clean, double[][] y) {
        double[] out = new double[clean.length];
        for (int b = 0; b < clean.length; b++) {
            double[] a = clean[b];
            double logZ = SoftmaxCrossEntropy.logSumExp(a);
            double s = 0, ySum = 0, yd = 0;
            for (int c = 0; c < a.length; c++) {
                double d = perturbed[b][c] - a[c];
                s += Math.exp(a[c] - logZ) * Math.expm1(d);
                ySum += y[b][c];
                yd += y[b][c] * d;
            }
            out[b] = ySum * Math.log1p(s) - yd;
        }
        return out;
    }
}
