package org.creditlab.rules;

import java.util.SplittableRandom;
import org.creditlab.nn.Layer;
import org.creditlab.nn.Network;

/**
 * The spiking simulation of {@link Sdd} for one example at a time, in plain Java arrays (ND4J's per-call cost
 * made a 1 ms step of a 784-500-10 network take milliseconds). Spikes are sparse, so each step adds the weight rows
 * of the presynaptic neurons that fired into a ring of per-step contributions X_t = S_t W; the basal potential is
 * B_t = Σ_{k=1..10} κ(k) X_{t−k+1} + b, which equals PSP_t W + b with PSP_t = Σ_k κ(k) S_{t−k+1} exactly.
 *
 * <p>One step, bottom-up: input spikes (Poisson, rate λ_max·x); for each layer, B from the ring, Euler step of the
 * soma (hidden: C += −g_L C + g_B (B − C); output: C += −g_L C + g_D (B − C) + I in the target phase), rate
 * λ_max σ(C), Poisson spikes. The apical input of the hidden layers is the output PSP at the start of the step (output
 * spikes up to the previous step); with g_A = 0 it does not act on the soma, and A = PSP_out Y is linear, so only
 * its window mean is kept and Ā = mean(PSP_out) Y is formed afterwards.
 */
final class SddSpiking {
    private final int depth;
    private final int[] sizes;          // sizes[0] = input, sizes[l + 1] = layer l
    private final double[][] w;         // w[l] row-major [sizes[l], sizes[l + 1]]
    private final double[][] b;
    private final double[] kappa = new double[Sdd.MEM];

    SddSpiking(Network net) {
        this.depth = net.depth();
        this.sizes = new int[depth + 1];
        this.w = new double[depth][];
        this.b = new double[depth][];
        for (int l = 0; l < depth; l++) {
            Layer layer = net.layer(l);
            sizes[l] = (int) layer.op().fanIn();
            sizes[l + 1] = (int) layer.op().fanOut();
            w[l] = values(layer.weight());
            b[l] = layer.hasBias() ? values(layer.bias()) : new double[sizes[l + 1]];
        }
        for (int k = 0; k < Sdd.MEM; k++) kappa[k] = Sdd.kappa(k + 1);
    }

    /** The entries in row-major order as doubles (one conversion pass when the array owns its buffer). */
    private static double[] values(org.nd4j.linalg.api.ndarray.INDArray a) {
        org.nd4j.linalg.api.ndarray.INDArray c = a.ordering() == 'c' && !a.isView() && a.data().length() == a.length() ? a : a.dup('c');
        return c.data().asDouble();
    }

    /** Window means of one training example. */
    static final class Trace {
        double[][] sBar;    // [layer][presynaptic unit], forward window
        double[][] cF;      // [layer][unit], forward window
        double[] psiF;      // output PSP, forward window
        double[] psiT;      // output PSP, target window
        double[] lamT;      // output rate, target window
    }

    /** Poisson count with rate {@code lambda} from one uniform draw by inversion, at most 4. */
    static int poissonCount(double lambda, double u) {
        return poissonCount(lambda, Math.exp(-lambda), u);
    }

    /** The same with e^{−λ} supplied. */
    static int poissonCount(double lambda, double expMinusLambda, double u) {
        double p = expMinusLambda, cdf = p;
        int k = 0;
        while (u > cdf && k < 4) {
            k++;
            p *= lambda / k;
            cdf += p;
        }
        return k;
    }

    private final class Run {
        final int[][][] spikes;     // [population][slot][unit]
        final double[][][] contrib; // [layer][slot][unit]: spikes of population l through w[l]
        final double[][] soma;
        final double[][] rate;
        final double[][] expRate;
        final double[] inputRate;
        final double[] inputExp;
        final double[] basal;
        final SplittableRandom r;
        int head = Sdd.MEM - 1;

        Run(double[] x, SplittableRandom r) {
            this.r = r;
            spikes = new int[depth + 1][][];
            contrib = new double[depth][][];
            soma = new double[depth][];
            rate = new double[depth][];
            expRate = new double[depth][];
            for (int p = 0; p <= depth; p++) spikes[p] = new int[Sdd.MEM][sizes[p]];
            for (int l = 0; l < depth; l++) {
                contrib[l] = new double[Sdd.MEM][sizes[l + 1]];
                soma[l] = new double[sizes[l + 1]];
                rate[l] = new double[sizes[l + 1]];
                expRate[l] = new double[sizes[l + 1]];
            }
            inputRate = new double[x.length];
            inputExp = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                inputRate[i] = Sdd.LAMBDA_MAX * x[i];
                inputExp[i] = Math.exp(-inputRate[i]);
            }
            int widest = 0;
            for (int l = 1; l <= depth; l++) widest = Math.max(widest, sizes[l]);
            basal = new double[widest];
        }

        /** PSP of population p at the current head, added into {@code into} (scaled by f). */
        void addPsp(int p, double[] into, double f) {
            for (int k = 0; k < Sdd.MEM; k++) {
                int[] s = spikes[p][Math.floorMod(head - k, Sdd.MEM)];
                double c = kappa[k] * f;
                for (int i = 0; i < s.length; i++) if (s[i] != 0) into[i] += c * s[i];
            }
        }

        /** Draws the spikes of population p from rates and adds their contribution to layer p's input ring. */
        void fire(int p, double[] rates, double[] expMinusRates) {
            int[] s = spikes[p][head];
            double[] x = p < depth ? contrib[p][head] : null;
            if (x != null) java.util.Arrays.fill(x, 0.0);
            int n = sizes[p];
            for (int i = 0; i < n; i++) {
                double u = r.nextDouble();
                int k = u <= expMinusRates[i] ? 0 : poissonCount(rates[i], expMinusRates[i], u);
                s[i] = k;
                if (k != 0 && x != null) {
                    int off = i * x.length;
                    double[] wp = w[p];
                    for (int j = 0; j < x.length; j++) x[j] += k * wp[off + j];
                }
            }
        }

        /** One 1 ms step; label −1 without teaching current. */
        void step(int label) {
            head = (head + 1) % Sdd.MEM;
            fire(0, inputRate, inputExp);
            for (int l = 0; l < depth; l++) {
                boolean out = l == depth - 1;
                double[] c = soma[l];
                int n = c.length;
                double g = out ? Sdd.G_D : Sdd.G_B;
                System.arraycopy(b[l], 0, basal, 0, n);
                for (int k = 0; k < Sdd.MEM; k++) {
                    double[] xk = contrib[l][Math.floorMod(head - k, Sdd.MEM)];
                    double kk = kappa[k];
                    for (int j = 0; j < n; j++) basal[j] += kk * xk[j];
                }
                double[] lam = rate[l];
                double[] ex = expRate[l];
                for (int j = 0; j < n; j++) {
                    double dc = -Sdd.G_L * c[j] + g * (basal[j] - c[j]);
                    if (out && label >= 0) {
                        double gE = j == label ? 1.0 : 0.0;
                        dc += gE * (Sdd.E_E - c[j]) + (1 - gE) * (Sdd.E_I - c[j]);
                    }
                    c[j] += dc;
                    lam[j] = Sdd.LAMBDA_MAX / (1 + Math.exp(-c[j]));
                    ex[j] = Math.exp(-lam[j]);
                }
                fire(l + 1, lam, ex);
            }
        }
    }

    /** A forward phase of tf steps, then a target phase of tt steps, averaging over the last 20 of each. */
    Trace train(double[] x, int label, int tf, int tt, SplittableRandom r) {
        Run run = new Run(x, r);
        Trace t = new Trace();
        t.sBar = new double[depth][];
        t.cF = new double[depth][];
        for (int l = 0; l < depth; l++) {
            t.sBar[l] = new double[sizes[l]];
            t.cF[l] = new double[sizes[l + 1]];
        }
        int out = sizes[depth];
        t.psiF = new double[out];
        t.psiT = new double[out];
        t.lamT = new double[out];
        double f = 1.0 / Sdd.INTEGRATION;
        for (int s = 0; s < tf; s++) {
            boolean window = s >= tf - Sdd.INTEGRATION;
            if (window) run.addPsp(depth, t.psiF, f);        // output spikes up to the previous step
            run.step(-1);
            if (window) {
                for (int l = 0; l < depth; l++) {
                    run.addPsp(l, t.sBar[l], f);
                    double[] c = run.soma[l];
                    for (int j = 0; j < c.length; j++) t.cF[l][j] += f * c[j];
                }
            }
        }
        for (int s = 0; s < tt; s++) {
            boolean window = s >= tt - Sdd.INTEGRATION;
            if (window) run.addPsp(depth, t.psiT, f);
            run.step(label);
            if (window) {
                double[] lam = run.rate[depth - 1];
                for (int j = 0; j < out; j++) t.lamT[j] += f * lam[j];
            }
        }
        return t;
    }

    /** The 250 ms test phase: output C averaged over the last 220 steps. */
    double[] test(double[] x, SplittableRandom r) {
        Run run = new Run(x, r);
        double[] mean = new double[sizes[depth]];
        double f = 1.0 / Sdd.TEST_INTEGRATION;
        for (int s = 0; s < Sdd.TEST_PHASE; s++) {
            run.step(-1);
            if (s >= Sdd.TEST_PHASE - Sdd.TEST_INTEGRATION) {
                double[] c = run.soma[depth - 1];
                for (int j = 0; j < c.length; j++) mean[j] += f * c[j];
            }
        }
        return mean;
    }
}
