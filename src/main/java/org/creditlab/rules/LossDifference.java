package org.creditlab.rules;

import org.creditlab.nn.LayerRecord;
import org.creditlab.nn.Loss;
import org.creditlab.nn.MeanSquaredError;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Per-example loss differences δL_b = L(ỹ_b) − L(ŷ_b) between a perturbed and a clean output, formed in
 * double so that the cancellation of two nearly equal losses (true size ≈ σ‖∂L/∂a‖) does not drown in
 * float32 rounding (rules.md §1.5). The outputs are cast to double first (that cast is exact), and the
 * difference is written so that no large term is subtracted from another:
 * <ul>
 *   <li>MSE: δL_b = mean_c (ỹ−ŷ)(ỹ+ŷ−2y);</li>
 *   <li>softmax cross-entropy with d = ã − a on the logits and p = softmax(a):
 *       δL_b = (Σ_c y_c)·log1p(Σ_c p_c expm1(d_c)) − Σ_c y_c d_c;</li>
 *   <li>any other loss: the difference of its per-example values evaluated in double.</li>
 * </ul>
 */
final class LossDifference {
    private LossDifference() { }

    /** δL_b as a double column [B]. */
    static INDArray perExample(Loss loss, LayerRecord perturbed, LayerRecord clean, INDArray y) {
        INDArray yd = y.castTo(DataType.DOUBLE);
        if (loss instanceof MeanSquaredError) {
            INDArray ht = perturbed.hBeforeDropout().castTo(DataType.DOUBLE);
            INDArray h = clean.hBeforeDropout().castTo(DataType.DOUBLE);
            INDArray diff = ht.sub(h);
            INDArray sum = ht.add(h).subi(yd.mul(2.0));
            return diff.muli(sum).mean(1);
        }
        if (loss instanceof SoftmaxCrossEntropy) {
            INDArray at = perturbed.a().castTo(DataType.DOUBLE);
            INDArray a = clean.a().castTo(DataType.DOUBLE);
            INDArray d = at.sub(a);
            INDArray p = Transforms.softmax(a, true);
            INDArray expm1 = Transforms.exp(d, true).subi(1.0);
            // exp(d) − 1 loses digits for tiny d; correct with the series d + d²/2 where |d| is small
            INDArray series = d.mul(d).muli(0.5).addi(d).addi(d.mul(d).muli(d).divi(6.0));
            INDArray small = Transforms.abs(d, true).lt(1e-3).castTo(DataType.DOUBLE);
            expm1 = expm1.muli(small.rsub(1.0)).addi(series.muli(small));
            INDArray s = expm1.muli(p).sum(1);
            INDArray log1p = Transforms.log(s.add(1.0), false);
            // log1p(s) for small s via s − s²/2 + s³/3 (|s| < 1e-3), the log otherwise
            INDArray sSmall = Transforms.abs(s, true).lt(1e-3).castTo(DataType.DOUBLE);
            INDArray sSeries = s.sub(s.mul(s).muli(0.5)).addi(s.mul(s).muli(s).divi(3.0));
            log1p = log1p.muli(sSmall.rsub(1.0)).addi(sSeries.muli(sSmall));
            INDArray ySum = yd.sum(1);
            return log1p.muli(ySum).subi(d.mul(yd).sum(1));
        }
        INDArray lt = loss.perExample(perturbed.a().castTo(DataType.DOUBLE),
                perturbed.hBeforeDropout().castTo(DataType.DOUBLE), yd);
        INDArray l = loss.perExample(clean.a().castTo(DataType.DOUBLE),
                clean.hBeforeDropout().castTo(DataType.DOUBLE), yd);
        return lt.subi(l);
    }
}
