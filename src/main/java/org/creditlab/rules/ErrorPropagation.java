package org.creditlab.rules;

import java.util.function.IntFunction;
import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.Layer;
import org.creditlab.nn.LayerRecord;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.Scratch;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The backward sweep shared by backprop and the feedback-alignment family:
 * δ_L = ∂L/∂a_L, δ_{l-1} = φ'(a_{l-1}) ⊙ (B_l δ_l), ΔW_l = δ_l ⊗ h_{l-1}, where B_l is whatever tensor
 * {@code backwardWeights} returns for layer l (W_l itself gives the exact gradient).
 */
public final class ErrorPropagation {
    private ErrorPropagation() { }

    /** The error at the output layer's pre-activation for the pass's batch-mean loss. */
    public static INDArray outputDelta(Network net, ForwardPass pass, INDArray y) {
        LayerRecord out = pass.last();
        return net.loss().outputDelta(net.outputLayer().activation(), out.a(), out.hBeforeDropout(), y);
    }

    /** The pass's batch-mean loss. */
    public static double loss(Network net, ForwardPass pass, INDArray y) {
        LayerRecord out = pass.last();
        return net.loss().mean(out.a(), out.hBeforeDropout(), y);
    }

    /**
     * Backward sweep from the loss of {@code pass} against {@code y}, every weight gradient written into a buffer
     * of {@code gradientBuffers} (keyed by the parameter's name): a rule's {@code compute} passes its own buffers,
     * which the {@link LearningRule#compute} contract lets it reuse; a new {@link Scratch} gives fresh arrays.
     */
    public static Updates backward(Network net, ForwardPass pass, INDArray y, IntFunction<INDArray> backwardWeights,
                                   Scratch gradientBuffers) {
        return backwardFrom(net, pass, outputDelta(net, pass, y), backwardWeights, gradientBuffers).loss(loss(net, pass, y));
    }

    /**
     * Backward sweep from a given error {@code outputDeltaA} = ∂L/∂a_L at the output layer's pre-activation
     * (the Align rules push the current network's error through a frozen copy). The returned updates carry
     * no loss; the caller sets it. Weight gradients go into {@code gradientBuffers}, as for {@link #backward}.
     */
    public static Updates backwardFrom(Network net, ForwardPass pass, INDArray outputDeltaA,
                                       IntFunction<INDArray> backwardWeights, Scratch gradientBuffers) {
        Updates updates = new Updates();
        INDArray deltaA = outputDeltaA;
        for (int l = net.depth() - 1; l >= 0; l--) {
            Layer layer = net.layer(l);
            LayerRecord r = pass.layer(l);
            INDArray deltaZ = layer.toLinearOutput(r, deltaA);
            // no error goes to the input: the first layer forms its gradients only
            Layer.Step step = layer.backwardStep(deltaZ, r, l > 0 ? backwardWeights.apply(l) : null,
                    gradientBuffers, Param.weightName(l));
            updates.putGradients(l, step);
            if (l > 0) deltaA = net.layer(l - 1).toPreActivation(pass.layer(l - 1), step.inputError());
        }
        return updates;
    }
}
