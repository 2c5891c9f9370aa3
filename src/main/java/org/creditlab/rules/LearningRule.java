package org.creditlab.rules;

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

    /** The proposed updates for one batch. Must not modify the network's parameters. */
    Updates compute(Network network, Batch batch, RuleState state, StepContext context);

    /**
     * The network's output used for evaluation. Rules whose neurons behave differently at test time
     * (segregated dendrites) override this.
     */
    default INDArray predict(Network network, INDArray x, RuleState state) {
        return network.predict(x);
    }

    /**
     * Called after the optimizer applied this step's updates: rules that adapt their own state from the
     * new weights (learned feedback, weight normalisation) do it here.
     */
    default void afterStep(Network network, RuleState state, StepContext context) { }
}
