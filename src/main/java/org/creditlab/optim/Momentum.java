package org.creditlab.optim;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.nn.Param;
import org.creditlab.nn.PreparedOp;
import org.creditlab.nn.PreparedScale;
import org.creditlab.nn.Scratch;
import org.creditlab.rules.Updates;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Heavy-ball momentum in PEPITA's form, v ← μ v + η g, W ← W − v (Dellaferrera & Kreiman 2022,
 * and Polyak 1964). With a constant η it equals PyTorch's v ← μ v + g, W ← W − η v; they differ only
 * in how a learning-rate step affects the velocity already built up: here the old velocity keeps the
 * old rate. Each step is four library ops per parameter with contexts kept from step to step (see {@link Sgd}).
 */
public final class Momentum implements Optimizer {
    private final double mu;
    private final Map<String, INDArray> velocity = new LinkedHashMap<>();
    private final Scratch scratch = new Scratch();
    private final Map<String, Arithmetic> arithmetic = new HashMap<>();

    /** One parameter's prepared ops. */
    private static final class Arithmetic {
        final PreparedScale decay = new PreparedScale();
        final PreparedScale scaleGradient = new PreparedScale();
        final PreparedOp add = new PreparedOp("add");
        final PreparedOp subtract = new PreparedOp("subtract");
    }

    public Momentum(double mu) { this.mu = mu; }

    @Override public String id() { return "momentum"; }

    @Override public void apply(List<Param> params, Updates updates, double lr) {
        for (Param p : params) {
            INDArray g = updates.get(p.name());
            if (g == null) continue;
            INDArray v = velocity.computeIfAbsent(p.name(), k -> Scratch.outsideWorkspaces(p.value()::like));
            Arithmetic a = arithmetic.computeIfAbsent(p.name(), k -> new Arithmetic());
            a.decay.exec(v, mu, v);
            a.add.exec(v, v, a.scaleGradient.exec(g, lr, scratch.like(p.name(), g)));
            a.subtract.exec(p.value(), p.value(), v);
        }
    }

    @Override public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        velocity.forEach((k, v) -> s.put("velocity." + k, v));
        return s;
    }

    @Override public void loadState(Map<String, INDArray> state) {
        velocity.clear();
        state.forEach((k, v) -> { if (k.startsWith("velocity.")) velocity.put(k.substring(9), Scratch.outsideWorkspaces(v::dup)); });
    }
}
