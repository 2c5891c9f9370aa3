package org.creditlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.creditlab.UserError;
import org.creditlab.nn.Param;
import org.creditlab.rules.Updates;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each optimizer's steps against the same arithmetic done by hand in Java doubles. */
class OptimizerStepTest {
    private static final double[] W0 = {0.5, -1.25, 2.0, 0.0};
    private static final double[][] G = {{0.1, -0.2, 0.3, -0.4}, {-0.05, 0.5, 0.0, 1.5}, {0.2, 0.2, -0.7, 0.01}};
    private static final double TOL = 1e-15;

    private static INDArray w() { return Nd4j.createFromArray(W0.clone()).reshape(2, 2); }

    private static Updates grad(int step) {
        return new Updates().put("layer0.W", Nd4j.createFromArray(G[step].clone()).reshape(2, 2));
    }

    private static List<Param> params(INDArray w) {
        return List.of(new Param("layer0.W", 0, Param.Kind.WEIGHT, w));
    }

    private static void assertValues(double[] expected, INDArray actual, String what) {
        double[] got = actual.reshape(4).toDoubleVector();
        for (int i = 0; i < 4; i++) assertEquals(expected[i], got[i], TOL, what + " entry " + i);
    }

    @Test
    void sgd() {
        INDArray w = w();
        double lr = 0.1;
        Optimizer opt = new Sgd();
        double[] e = W0.clone();
        for (int s = 0; s < 3; s++) {
            opt.apply(params(w), grad(s), lr);
            for (int i = 0; i < 4; i++) e[i] -= lr * G[s][i];
            assertValues(e, w, "sgd step " + s);
        }
    }

    @Test
    void sgdGivesTheSameStepOnFloatArraysAndOnViews() {
        // a view (a column block of a wider array) with a gradient in the other order, and float arrays: every
        // layout gets W - lr g (to float rounding for floats), and nothing outside the view moves
        double lr = 0.1;
        INDArray wide = Nd4j.createFromArray(new double[][] {{0.5, -1.25, 9.0}, {2.0, 0.0, 9.0}});
        INDArray view = wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2));
        INDArray floats = w().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray gT = Nd4j.createFromArray(G[0].clone()).reshape(2, 2).transpose().dup('c').transpose();
        new Sgd().apply(params(view), new Updates().put("layer0.W", gT), lr);
        new Sgd().apply(params(floats), grad(0), lr);
        double[] e = W0.clone();
        for (int i = 0; i < 4; i++) e[i] -= lr * G[0][i];
        assertValues(e, view.dup('c'), "sgd on a view");
        assertEquals(9.0, wide.getDouble(0, 2), 0.0, "the rest of the wide array is untouched");
        double[] got = floats.reshape(4).toDoubleVector();
        for (int i = 0; i < 4; i++) assertEquals(e[i], got[i], 1e-7, "float sgd entry " + i);
    }

    @Test
    void parametersWithoutAnUpdateAreLeftAlone() {
        INDArray w = w();
        INDArray other = Nd4j.createFromArray(1.0, 2.0);
        List<Param> ps = List.of(params(w).get(0), new Param("layer0.b", 0, Param.Kind.BIAS, other));
        for (Optimizer opt : List.of(new Sgd(), new Momentum(0.9), new Adam(0.9, 0.999, 1e-8),
                new DecoupledWeightDecay(new Sgd(), 0.1))) {
            opt.apply(ps, grad(0), 0.1);
            assertEquals(1.0, other.getDouble(0), 0.0, opt.id());
            assertEquals(2.0, other.getDouble(1), 0.0, opt.id());
        }
    }

    /** This codebase's form: v ← μ v + η g, W ← W − v. */
    @Test
    void momentum() {
        INDArray w = w();
        double mu = 0.9;
        double[] lrs = {0.1, 0.1, 0.01}; // a rate change: the old velocity keeps the old rate
        Optimizer opt = new Momentum(mu);
        double[] e = W0.clone();
        double[] v = new double[4];
        for (int s = 0; s < 3; s++) {
            opt.apply(params(w), grad(s), lrs[s]);
            for (int i = 0; i < 4; i++) {
                v[i] = mu * v[i] + lrs[s] * G[s][i];
                e[i] -= v[i];
            }
            assertValues(e, w, "momentum step " + s);
        }
        assertValues(v, opt.state().get("velocity.layer0.W"), "velocity");
    }

    /** Bias-corrected Adam, three steps. */
    @Test
    void adam() {
        INDArray w = w();
        double b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = 0.01;
        Optimizer opt = new Adam(b1, b2, eps);
        double[] e = W0.clone();
        double[] m = new double[4];
        double[] v = new double[4];
        for (int s = 0; s < 3; s++) {
            opt.apply(params(w), grad(s), lr);
            int t = s + 1;
            for (int i = 0; i < 4; i++) {
                double g = G[s][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                e[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            assertValues(e, w, "adam step " + t);
        }
    }

    @Test
    void adamStateRoundTrips() {
        Adam a = new Adam(0.9, 0.999, 1e-8);
        INDArray w1 = w();
        a.apply(params(w1), grad(0), 0.01);
        Adam b = new Adam(0.9, 0.999, 1e-8);
        b.loadState(a.state());
        INDArray w2 = w1.dup();
        a.apply(params(w1), grad(1), 0.01);
        b.apply(params(w2), grad(1), 0.01);
        assertValues(w1.reshape(4).toDoubleVector(), w2, "resumed adam");
    }

    /** W ← W(1 − wd) − η g: the decay is not multiplied by η. */
    @Test
    void decoupledWeightDecay() {
        INDArray w = w();
        double wd = 0.01, lr = 0.1;
        Optimizer opt = new DecoupledWeightDecay(new Sgd(), wd);
        double[] e = W0.clone();
        for (int s = 0; s < 3; s++) {
            opt.apply(params(w), grad(s), lr);
            for (int i = 0; i < 4; i++) e[i] = e[i] * (1 - wd) - lr * G[s][i];
            assertValues(e, w, "wd step " + s);
        }
    }

    /**
     * A caller may run each step inside an ND4J workspace (bench does): optimizer state and scratch
     * buffers must live outside it, so the result equals the same steps run without one.
     */
    @Test
    void stepsInsideAWorkspaceEqualStepsOutside() {
        org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration conf =
                org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration.builder()
                        .policyLearning(org.nd4j.linalg.api.memory.enums.LearningPolicy.FIRST_LOOP).build();
        for (int which = 0; which < 3; which++) {
            Optimizer plain = which == 0 ? new Sgd() : which == 1 ? new Momentum(0.9) : new Adam(0.9, 0.999, 1e-8);
            Optimizer inWs = which == 0 ? new Sgd() : which == 1 ? new Momentum(0.9) : new Adam(0.9, 0.999, 1e-8);
            INDArray w1 = w();
            INDArray w2 = w();
            for (int s = 0; s < 3; s++) {
                plain.apply(params(w1), grad(s), 0.1);
                try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "opt-test")) {
                    Updates u = grad(s); // allocated inside the workspace, like a rule's updates
                    inWs.apply(params(w2), u, 0.1);
                    // scribble over the workspace's memory as the next step's temporaries would
                    Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 64).assign(1e6);
                }
            }
            assertValues(w1.reshape(4).toDoubleVector(), w2, plain.id() + " inside a workspace");
        }
    }

    @Test
    void optimizersByName() {
        assertEquals("sgd", Optimizers.create("sgd", 0, 0, 0, 0, 0).id());
        assertEquals(DecoupledWeightDecay.class, Optimizers.create("momentum", 0.9, 0, 0, 0, 1e-4).getClass());
        assertThrows(UserError.class, () -> Optimizers.create("rmsprop", 0, 0, 0, 0, 0));
        assertThrows(UserError.class, () -> Optimizers.create("sgd", 0, 0, 0, 0, -1));
    }

    @Test
    void learningRateScheduleMilestones() {
        LearningRateSchedule s = new LearningRateSchedule(0.01, List.of(60, 90), 0.1);
        assertEquals(0.01, s.at(0), 0.0);
        assertEquals(0.01, s.at(59), 0.0);
        assertEquals(0.01 * 0.1, s.at(60), 1e-18);
        assertEquals(0.01 * 0.1, s.at(89), 1e-18);
        assertEquals(0.01 * 0.1 * 0.1, s.at(90), 1e-18);
        assertEquals(0.01 * 0.1 * 0.1, s.at(500), 1e-18);
        assertEquals(0.5, LearningRateSchedule.constant(0.5).at(1000), 0.0);
    }

    /**
     * Sgd and Momentum run their arithmetic as prepared library ops; each step must be bit for bit the INDArray
     * arithmetic it replaced (W.subi(g.mul(lr)); v.muli(mu).addi(g.mul(lr)), W.subi(v)), as the gradient buffer is
     * reused or replaced and the learning rate changes, in float (the default dtype) and double.
     */
    @Test
    void sgdAndMomentumStepsAreBitForBitTheArrayArithmetic() {
        for (org.nd4j.linalg.api.buffer.DataType type : new org.nd4j.linalg.api.buffer.DataType[] {
                org.nd4j.linalg.api.buffer.DataType.FLOAT, org.nd4j.linalg.api.buffer.DataType.DOUBLE}) {
            Nd4j.getRandom().setSeed(3);
            INDArray w0 = Nd4j.randn(type, 784, 50);
            INDArray sgdW = w0.dup(), momW = w0.dup(), refSgd = w0.dup(), refMom = w0.dup(), refV = w0.ulike().assign(0);
            Sgd sgd = new Sgd();
            Momentum momentum = new Momentum(0.9);
            INDArray reused = Nd4j.create(type, 784, 50);
            double[] rates = {0.05, 0.05, 0.01, 0.01, 0.3};
            for (int s = 0; s < rates.length; s++) {
                INDArray g = s % 2 == 0 ? reused.assign(Nd4j.randn(type, 784, 50)) : Nd4j.randn(type, 784, 50);
                double lr = rates[s];
                sgd.apply(List.of(new Param("w", 0, Param.Kind.WEIGHT, sgdW)), new Updates().put("w", g), lr);
                momentum.apply(List.of(new Param("w", 0, Param.Kind.WEIGHT, momW)), new Updates().put("w", g), lr);
                refSgd.subi(g.mul(lr));
                refV.muli(0.9).addi(g.mul(lr));
                refMom.subi(refV);
                assertEquals(refSgd, sgdW, type + " sgd step " + s);
                assertEquals(0L, differingBits(refSgd, sgdW), type + " sgd step " + s + ": bits");
                assertEquals(0L, differingBits(refMom, momW), type + " momentum step " + s + ": bits");
            }
        }
    }

    private static long differingBits(INDArray a, INDArray b) {
        double[] x = a.dup('c').data().asDouble();
        double[] y = b.dup('c').data().asDouble();
        long n = 0;
        for (int i = 0; i < x.length; i++) if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) n++;
        return n;
    }
}
