package org.creditlab.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.creditlab.nn.StepMemory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a learning rule proposes for one step: one array per parameter name, in gradient sign convention
 * (the optimizer subtracts it), plus the clean-pass batch loss the rule saw and any scalars it wants logged.
 */
public final class Updates {
    private final Map<String, INDArray> byParam = new LinkedHashMap<>();
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private double loss = Double.NaN;

    public Updates put(String param, INDArray update) {
        byParam.put(param, update);
        return this;
    }

    public INDArray get(String param) { return byParam.get(param); }
    public Map<String, INDArray> asMap() { return Collections.unmodifiableMap(byParam); }

    /** The mean loss of the batch on the clean forward pass, before the update. */
    public double loss() { return loss; }
    public Updates loss(double value) { this.loss = value; return this; }

    /**
     * These updates with every array that lives in a {@link StepMemory} block copied out ({@link StepMemory#keep}), for a
     * rule's step to return from its block; arrays already outside (its reused buffers) are passed on as they are.
     */
    public Updates kept() {
        Updates out = new Updates().loss(loss);
        byParam.forEach((k, v) -> out.put(k, StepMemory.keep(v)));
        scalars.forEach(out::scalar);
        return out;
    }

    public Updates scalar(String key, double value) { scalars.put(key, value); return this; }
    public Map<String, Double> scalars() { return Collections.unmodifiableMap(scalars); }
}
