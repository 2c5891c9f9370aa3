package org.creditlab.optim;

import java.util.List;
import java.util.Map;
import org.creditlab.nn.Param;
import org.creditlab.rules.Updates;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * W ← W − wd·W on every parameter the step updates, before the wrapped optimizer's step, so the decay
 * acts on the pre-step weights and is not multiplied by the learning rate: nodepert's
 * W ← W − η g − wd·W. (Loshchilov & Hutter's AdamW multiplies by η; set wd accordingly.)
 */
public final class DecoupledWeightDecay implements Optimizer {
    private final Optimizer inner;
    private final double wd;

    public DecoupledWeightDecay(Optimizer inner, double wd) {
        this.inner = inner;
        this.wd = wd;
    }

    @Override public String id() { return inner.id(); }

    @Override public void apply(List<Param> params, Updates updates, double lr) {
        for (Param p : params) {
            if (updates.get(p.name()) != null) p.value().muli(1 - wd);
        }
        inner.apply(params, updates, lr);
    }

    @Override public Map<String, INDArray> state() { return inner.state(); }
    @Override public void loadState(Map<String, INDArray> state) { inner.loadState(state); }
}
