package org.creditlab.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The state a learning rule carries between steps (feedback matrices, a frozen initial network, learned
 * backward weights, ...), as named tensors so that a checkpoint can save and restore it exactly.
 */
public final class RuleState {
    private final Map<String, INDArray> tensors = new LinkedHashMap<>();

    public static RuleState empty() { return new RuleState(); }

    public RuleState put(String name, INDArray value) {
        tensors.put(name, value);
        return this;
    }

    public INDArray get(String name) {
        INDArray t = tensors.get(name);
        if (t == null) throw new IllegalStateException("rule state has no tensor '" + name + "'");
        return t;
    }

    public boolean has(String name) { return tensors.containsKey(name); }

    public Map<String, INDArray> tensors() { return Collections.unmodifiableMap(tensors); }
}
