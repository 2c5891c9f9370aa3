package org.creditlab.nn;

import java.util.SplittableRandom;

/**
 * Standard normal draws by Marsaglia &amp; Tsang's ziggurat ("The Ziggurat Method for Generating Random Variables",
 * J. Stat. Softw. 2000) with 256 layers, one 64-bit word per draw in 99% of cases.
 *
 * <p>Why not {@link SplittableRandom#nextGaussian}: it is also a ziggurat, but measured 7.5–12 ns per draw here
 * against 4.6–5 ns for this one in a plain Java loop (about 7 ns per value written into an ND4J array, as
 * {@code credit bench} reports), and weight perturbation and brsf draw one value per weight every step.
 * The saving comes from taking the sign from the word's top bit with an arithmetic shift (no unpredictable branch)
 * and keeping the layer tables in two flat arrays.
 *
 * <p>Bits of the word: 0–7 pick the layer, 11–63 give a signed position in [−1, 1) with 52 bits of magnitude. The
 * two fields do not overlap, which avoids the dependence between layer and value that Doornik (2005) found in the
 * original 32-bit version, where both came from the same bits.
 */
final class Ziggurat {
    static final int LAYERS = 256;
    /** Where the tail starts: the right edge of the widest layer. */
    static final double R = 3.6541528853610088;
    /** The area of every layer (the bottom one counts the tail), under f(x) = exp(−x²/2): r·f(r) + ∫_r^∞ f. */
    static final double V = 0.004928673233974658;

    /**
     * X[i] is the right edge of layer i (X[0] = V/f(R), the width of a rectangle as big as base plus tail; X[256] =
     * 0); layer i spans heights F[i]..F[i+1] with F[i] = f(X[i]). The part of layer i left of X[i+1] lies wholly under
     * the curve, so a draw landing there is accepted without evaluating f.
     */
    static final double[] X = new double[LAYERS + 1];
    static final double[] F = new double[LAYERS + 1];

    static {
        X[0] = V / f(R);
        X[1] = R;
        for (int i = 2; i < LAYERS; i++) X[i] = Math.sqrt(-2.0 * Math.log(V / X[i - 1] + f(X[i - 1])));
        X[LAYERS] = 0.0;
        for (int i = 0; i <= LAYERS; i++) F[i] = f(X[i]);
    }

    private Ziggurat() { }

    /** One N(0, 1) draw. */
    static double next(SplittableRandom random) {
        while (true) {
            long bits = random.nextLong();
            int layer = (int) bits & 0xFF;
            double x = (bits >> 11) * 0x1.0p-52 * X[layer];
            if (Math.abs(x) < X[layer + 1]) return x;
            if (layer == 0) return Math.copySign(tail(random), x);
            // The wedge between X[layer+1] and X[layer]: accept under the curve, else draw again.
            double y = F[layer] + (F[layer + 1] - F[layer]) * random.nextDouble();
            if (y < f(x)) return x;
        }
    }

    /** A draw from the normal tail beyond R (Marsaglia 1964). */
    private static double tail(SplittableRandom random) {
        double x;
        double y;
        do {
            x = -Math.log(1.0 - random.nextDouble()) / R;   // 1 − U lies in (0, 1], so the log is finite
            y = -Math.log(1.0 - random.nextDouble());
        } while (y + y < x * x);
        return R + x;
    }

    private static double f(double x) {
        return Math.exp(-0.5 * x * x);
    }
}
