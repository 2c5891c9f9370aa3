package org.creditlab.rules;

import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.Network;
import org.creditlab.nn.Scratch;
import org.creditlab.nn.StepMemory;

/**
 * Backpropagation (Rumelhart, Hinton & Williams 1986): the exact gradient of the batch-mean loss,
 * g_{W_l} = δ_l ⊗ h_{l-1} with δ_{l-1} = φ'(a_{l-1}) ⊙ (W_lᵀ δ_l). The baseline every other rule is
 * compared against, and the reference the alignment diagnostics measure angles to.
 */
public final class Backprop implements LearningRule {
    @Override public String name() { return "bp"; }

    /** The weight gradients, reused from step to step (see {@link ErrorPropagation#backward}). */
    private final Scratch gradientBuffers = new Scratch();
    /** The memory of the step's forward pass and error sweep, reused from step to step. */
    private final StepMemory memory = new StepMemory("bp");

    /**
     * Nothing of the pass outlives the step but the updates, so the pass and the sweep run in {@link StepMemory}
     * and only the updates are copied out (the weight gradients already live outside it).
     */
    @Override public Updates compute(Network net, Batch batch, RuleState state, StepContext ctx) {
        return memory.run(() -> {
            ForwardPass pass = net.forward(batch.x());
            return ErrorPropagation.backward(net, pass, batch.y(), l -> net.layer(l).weight(), gradientBuffers).kept();
        });
    }

    /** The true gradient of the batch-mean loss in fresh arrays (also used by diagnostics of other rules). */
    public static Updates gradient(Network net, Batch batch) {
        ForwardPass pass = net.forward(batch.x());
        return ErrorPropagation.backward(net, pass, batch.y(), l -> net.layer(l).weight(), new Scratch());
    }
}
