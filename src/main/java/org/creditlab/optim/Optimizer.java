package org.creditlab.optim;

import java.util.List;
import java.util.Map;
import org.creditlab.nn.Param;
import org.creditlab.rules.Updates;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns a rule's updates (gradient sign convention) into in-place parameter changes. Parameters the
 * updates do not mention are left alone. Optimizer state (velocities, moments) is exposed as named
 * tensors so a checkpoint can restore it exactly.
 */
public interface Optimizer {
    String id();

    void apply(List<Param> params, Updates updates, double learningRate);

    /** Named state tensors (live arrays); the same names are accepted by {@link #loadState}. */
    Map<String, INDArray> state();

    void loadState(Map<String, INDArray> state);
}
