package org.creditlab.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.nn.Param;
import org.creditlab.nn.Scratch;
import org.creditlab.rules.Updates;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma & Ba 2015) with bias correction: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g²,
 * W ← W − η m̂ / (√v̂ + ε). nodepert's "Adam-like NP" feeds the NP estimate through exactly this.
 */
public final class Adam implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private final Map<String, Long> t = new LinkedHashMap<>();
    private final Scratch scratch = new Scratch();

    public Adam(double beta1, double beta2, double eps) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override public String id() { return "adam"; }

    @Override public void apply(List<Param> params, Updates updates, double lr) {
        for (Param p : params) {
            INDArray g = updates.get(p.name());
            if (g == null) continue;
            INDArray mp = m.computeIfAbsent(p.name(), k -> Scratch.outsideWorkspaces(p.value()::like));
            INDArray vp = v.computeIfAbsent(p.name(), k -> Scratch.outsideWorkspaces(p.value()::like));
            INDArray s1 = scratch.like("1." + p.name(), g);
            INDArray s2 = scratch.like("2." + p.name(), g);
            long step = t.merge(p.name(), 1L, Long::sum);
            mp.muli(beta1).addi(g.mul(1 - beta1, s1));
            vp.muli(beta2).addi(g.mul(g, s1).muli(1 - beta2));
            double c1 = 1 - Math.pow(beta1, step);
            double c2 = 1 - Math.pow(beta2, step);
            INDArray denom = Transforms.sqrt(vp.div(c2, s1), false).addi(eps);
            p.value().subi(mp.div(c1, s2).divi(denom).muli(lr));
        }
    }

    @Override public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        m.forEach((k, a) -> s.put("m." + k, a));
        v.forEach((k, a) -> s.put("v." + k, a));
        t.forEach((k, n) -> s.put("t." + k, Nd4j.scalar(n)));
        return s;
    }

    @Override public void loadState(Map<String, INDArray> state) {
        m.clear(); v.clear(); t.clear();
        state.forEach((k, a) -> {
            if (k.startsWith("m.")) m.put(k.substring(2), Scratch.outsideWorkspaces(a::dup));
            else if (k.startsWith("v.")) v.put(k.substring(2), Scratch.outsideWorkspaces(a::dup));
            else if (k.startsWith("t.")) t.put(k.substring(2), a.getLong(0));
        });
    }
}
