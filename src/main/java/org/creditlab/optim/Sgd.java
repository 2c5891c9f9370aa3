package org.creditlab.optim;

import java.util.List;
import java.util.Map;
import org.creditlab.nn.Param;
import org.creditlab.nn.Scratch;
import org.creditlab.rules.Updates;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Plain stochastic gradient descent: W ← W − η g. */
public final class Sgd implements Optimizer {
    private final Scratch scratch = new Scratch();

    @Override public String id() { return "sgd"; }

    @Override public void apply(List<Param> params, Updates updates, double lr) {
        for (Param p : params) {
            INDArray g = updates.get(p.name());
            if (g != null) p.value().subi(g.mul(lr, scratch.like(p.name(), g)));
        }
    }

    @Override public Map<String, INDArray> state() { return Map.of(); }
    @Override public void loadState(Map<String, INDArray> state) { }
}
