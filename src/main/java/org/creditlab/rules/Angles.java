package org.creditlab.rules;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Geometry between two tensors of the same number of elements, computed in double: the angle between
 * vec(a) and vec(b) (what Kunin et al. and biotorch log as the W–B angle), sign agreement and norm ratios.
 */
public final class Angles {
    private Angles() { }

    /** The angle in degrees between vec(a) and vec(b); NaN if either is all zeros. */
    public static double degrees(INDArray a, INDArray b) {
        return Math.toDegrees(Math.acos(cosine(a, b)));
    }

    /** cos ∠(vec(a), vec(b)), clamped to [-1, 1]; NaN if either is all zeros. */
    public static double cosine(INDArray a, INDArray b) {
        requireSameLength(a, b);
        INDArray x = flat(a);
        INDArray y = flat(b);
        double na = x.norm2Number().doubleValue();
        double nb = y.norm2Number().doubleValue();
        if (na == 0 || nb == 0) return Double.NaN;
        double c = x.mul(y).sumNumber().doubleValue() / (na * nb);
        return Math.max(-1.0, Math.min(1.0, c));
    }

    /** Fraction of entries where a and b have the same sign (zeros count as their own sign). */
    public static double signAgreement(INDArray a, INDArray b) {
        requireSameLength(a, b);
        INDArray sa = org.nd4j.linalg.ops.transforms.Transforms.sign(flat(a), true);
        INDArray sb = org.nd4j.linalg.ops.transforms.Transforms.sign(flat(b), true);
        return sa.eq(sb).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }

    /** ‖a‖ / ‖b‖ (Frobenius). */
    public static double normRatio(INDArray a, INDArray b) {
        return a.norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    private static INDArray flat(INDArray t) {
        return t.castTo(DataType.DOUBLE).reshape(t.length());
    }

    private static void requireSameLength(INDArray a, INDArray b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("tensors differ in size: " + a.length() + " vs " + b.length());
        }
    }
}
