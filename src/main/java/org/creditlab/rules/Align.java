package org.creditlab.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.Layer;
import org.creditlab.nn.LayerRecord;
import org.creditlab.nn.Network;
import org.creditlab.nn.Scratch;
import org.creditlab.nn.StepMemory;
import org.creditlab.nn.Param;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * Boopathy &amp; Fiete 2022, "How to train your wide neural network without backprop: an input-weight alignment
 * perspective" (rules.md §5; align {@code train_kmnist.py}). Every rule applies its gradient to the current
 * weights; e = ∂L/∂a_L is the current network's output error.
 * <ul>
 * <li>{@code align-zero}: e is back-propagated through a frozen copy of the initial network (its weights,
 *     activations and batch norm) and the gradient is taken w.r.t. the copy's parameters with the copy's
 *     activity: g_{W_l} = δ⁰_l ⊗ h⁰_{l-1}. Equal to backprop at step 0.</li>
 * <li>{@code align-ada}: the backward signal is the frozen network's, but each layer's junction uses the
 *     current network: g_{W_l} = [J_BN,l(current)ᵀ ((∂f⁰/∂a⁰_l)ᵀ e)] ⊗ h_{l-1}; the readout gets the delta rule
 *     on current features, and (as in the reference, where ReLU and pooling are applied to the current
 *     activity before the readout's junction) the last hidden layer's φ' is taken at the current
 *     pre-activation (option {@code phi_last} = current|initial).</li>
 * <li>{@code align-prop}: feedback alignment with B_l = W⁰_l, the initial forward weights, fixed; the error
 *     goes through the current φ' and batch norm.</li>
 * </ul>
 * The frozen copy lives in the rule state as "frozen.layer{l}.W" / "frozen.layer{l}.b" (align-zero/ada) or
 * "layer{l}.B" (align-prop), so checkpoints carry it. The paper's setting (NTK parameterisation with batch
 * norm, MSE against onehot − 0.1, plain SGD with a large learning rate) is the rules' config default.
 */
public final class Align implements LearningRule {
    public enum Variant { ZERO, ADA, PROP }

    /**
     * The paper's setting as run-config defaults (rules.md §5): NTK parameterisation with batch norm, MSE
     * against onehot − 0.1 on a linear readout, plain SGD with a large learning rate. lr = 5 is the top of the
     * paper's grid {1, 2, 5}; on Fashion-MNIST with fc-ntk 784-512-512-10, batch 100 (2,000 training
     * images, 200–600 steps) it learnt faster than 1–3 for bp and the Align rules alike, 7 still trained and
     * 10 diverged.
     */
    public static final Map<String, Object> CONFIG_DEFAULTS = Map.of("network", "fc-ntk", "init", "normal",
            "loss", "mse", "output_activation", "linear", "target_offset", 0.1, "optimizer", "sgd", "lr", 5.0);

    private final Variant variant;
    private final boolean currentPhiLast;

    public Align(Variant variant, boolean currentPhiLast) {
        this.variant = variant;
        this.currentPhiLast = currentPhiLast;
    }

    public static Align zero() { return new Align(Variant.ZERO, true); }
    public static Align prop() { return new Align(Variant.PROP, true); }
    public static Align ada(RuleOptions o) {
        return new Align(Variant.ADA, o.getString("phi_last").equals("current"));
    }

    /** align-ada's options; {@link RuleOptions} checks given values against them. */
    public static final java.util.List<RuleOption> ADA_OPTIONS = java.util.List.of(
            RuleOption.choice("phi_last", "the last hidden layer's derivative at the current or the initial pre-activation", "current", "initial"));

    @Override public String name() { return "align-" + variant.name().toLowerCase(); }

    public static String frozenWeightName(int l) { return "frozen." + Param.weightName(l); }
    public static String frozenBiasName(int l) { return "frozen." + Param.biasName(l); }

    @Override public RuleState init(Network net, Random rng) {
        RuleState state = RuleState.empty();
        for (int l = 0; l < net.depth(); l++) {
            Layer layer = net.layer(l);
            if (variant == Variant.PROP) {
                if (l > 0) state.put(FeedbackAlignment.feedbackName(l), layer.weight().dup());
            } else {
                state.put(frozenWeightName(l), layer.weight().dup());
                if (layer.hasBias()) state.put(frozenBiasName(l), layer.bias().dup());
            }
        }
        return state;
    }

    /** The frozen initial network, wrapping the state's tensors (no copy). */
    static Network frozen(Network net, RuleState state) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < net.depth(); l++) {
            Layer cur = net.layer(l);
            layers.add(new Layer(cur.op(), cur.norm(), cur.activation(), cur.initializer(), cur.post(),
                    state.get(frozenWeightName(l)), cur.hasBias() ? state.get(frozenBiasName(l)) : null));
        }
        return new Network(layers, net.loss());
    }

    /** The weight gradients, reused from step to step (valid until the next compute, as the contract allows). */
    private final Scratch gradientBuffers = new Scratch();
    /** The memory of the step's passes and sweep, reused from step to step. */
    private final StepMemory memory = new StepMemory("align");

    /**
     * The passes and the sweep run in {@link StepMemory}: the frozen network only wraps the state's tensors, the
     * weight gradients live in reused buffers outside it and the bias gradients are copied out.
     */
    @Override public Updates compute(Network net, Batch batch, RuleState state, StepContext ctx) {
        return memory.run(() -> step(net, batch, state).kept());
    }

    private Updates step(Network net, Batch batch, RuleState state) {
        ForwardPass pass = net.forward(batch.x());
        if (variant == Variant.PROP) {
            return ErrorPropagation.backward(net, pass, batch.y(), l -> state.get(FeedbackAlignment.feedbackName(l)), gradientBuffers);
        }
        double loss = ErrorPropagation.loss(net, pass, batch.y());
        INDArray e = ErrorPropagation.outputDelta(net, pass, batch.y());
        Network frozen = frozen(net, state);
        ForwardPass pass0 = frozen.forward(batch.x());
        if (variant == Variant.ZERO) {
            return ErrorPropagation.backwardFrom(frozen, pass0, e, l -> frozen.layer(l).weight(), gradientBuffers).loss(loss);
        }
        return adaptive(net, pass, frozen, pass0, e).loss(loss);
    }

    /** align-ada: the frozen network's backward chain, branching into the current layers at each junction. */
    private Updates adaptive(Network net, ForwardPass pass, Network frozen, ForwardPass pass0, INDArray e) {
        Updates u = new Updates();
        int last = net.depth() - 1;
        // Readout: the delta rule on the current features.
        Layer out = net.layer(last);
        LayerRecord r = pass.layer(last);
        put(u, last, out.gradients(out.toLinearOutput(r, e), r.input(), gradientBuffers, Param.weightName(last)));
        // Frozen chain: gradH = ∂f⁰/∂h⁰_{l} ᵀ e at the input of layer l+1.
        LayerRecord r0 = pass0.layer(last);
        INDArray deltaZ0 = frozen.layer(last).toLinearOutput(r0, e);
        INDArray gradH = frozen.layer(last).propagate(deltaZ0, frozen.layer(last).weight(), r0);
        for (int l = last - 1; l >= 0; l--) {
            Layer cur = net.layer(l);
            Layer ini = frozen.layer(l);
            r = pass.layer(l);
            r0 = pass0.layer(l);
            INDArray deltaA0 = ini.toPreActivation(r0, gradH);
            INDArray deltaA = (l == last - 1 && currentPhiLast) ? cur.toPreActivation(r, gradH) : deltaA0;
            put(u, l, cur.gradients(cur.toLinearOutput(r, deltaA), r.input(), gradientBuffers, Param.weightName(l)));
            if (l > 0) {
                deltaZ0 = ini.toLinearOutput(r0, deltaA0);
                gradH = ini.propagate(deltaZ0, ini.weight(), r0);
            }
        }
        return u;
    }

    private static void put(Updates u, int l, Layer.Gradient g) {
        u.put(Param.weightName(l), g.dW());
        if (g.db() != null) u.put(Param.biasName(l), g.db());
    }

    /**
     * align-prop: angle(W, B = W⁰) and ‖B‖/‖W‖ per layer; align-zero/ada: angle(W, W⁰) and the relative
     * distance ‖W − W⁰‖/‖W⁰‖ travelled from initialisation (small in the NTK regime the rules rely on).
     */
    @Override public Map<String, Double> diagnostics(Network net, RuleState state) {
        Map<String, Double> d = new LinkedHashMap<>();
        if (variant == Variant.PROP) {
            FeedbackAlignment.feedbackDiagnostics(net, state, d);
            return d;
        }
        for (int l = 0; l < net.depth(); l++) {
            INDArray w = net.layer(l).weight();
            INDArray w0 = state.get(frozenWeightName(l));
            d.put("layer" + l + ".angle_w_w0", Angles.degrees(w, w0));
            d.put("layer" + l + ".rel_change_w", w.sub(w0).norm2Number().doubleValue() / w0.norm2Number().doubleValue());
        }
        return d;
    }
}
