package org.creditlab.rules;

import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * A credit-assignment rule: turns a network and a batch into {@link Updates}, one array per parameter in
 * gradient sign convention. The optimizer, not the rule, changes the weights. A rule keeps whatever it
 * needs between steps (feedback matrices, a frozen copy) in its {@link RuleState}.
 */
public interface LearningRule {
    /** The registry name, e.g. "bp". */
    String name();

    /** Draw the rule's state for a freshly initialised network (feedback matrices and the like). */
    default RuleState init(Network network, Random rng) {
        return RuleState.empty();
    }

    /**
     * The proposed updates for one batch. Must not modify the network's parameters. The returned arrays may
     * be buffers the rule reuses (see {@link org.creditlab.nn.Scratch}): they are valid until the rule's next
     * {@code compute}, so a caller that keeps them longer copies them.
     */
    Updates compute(Network network, Batch batch, RuleState state, StepContext context);

    /**
     * The network's output used for evaluation, given the plain forward pass the evaluator already ran
     * on {@code x}. Rules whose neurons behave differently at test time (segregated dendrites) override this.
     */
    default INDArray predict(Network network, ForwardPass plainPass, INDArray x, RuleState state) {
        return plainPass.output();
    }

    /**
     * Called after the optimizer applied this step's updates: rules that adapt their own state from the
     * new weights (learned feedback, weight normalisation) do it here.
     */
    default void afterStep(Network network, RuleState state, StepContext context) { }

    /**
     * Rule-specific numbers logged with the alignment diagnostics, keyed like "layer1.angle_w_bt"
     * (e.g. the angle between W and the feedback Bᵀ, ‖B‖/‖W‖, PEPITA's F angle). Computed on demand,
     * so it may cost a little.
     */
    default java.util.Map<String, Double> diagnostics(Network network, RuleState state) {
        return java.util.Map.of();
    }
}
