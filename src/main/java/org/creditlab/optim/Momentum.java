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
 * old rate. Each step is four library ops per parameter with contexts kept from step to step, block by block for a
 * large parameter whose gradient comes in a reused buffer, so v, η g and W pass through the cache once (see {@link Sgd}).
 */
public final class Momentum implements Optimizer {
    private final double mu;
    private final Map<String, INDArray> velocity = new LinkedHashMap<>();
    private final Scratch scratch = new Scratch();
    private final Map<String, Arithmetic> arithmetic = new HashMap<>();

    private final Map<String, CacheBlocks.Plan<Block>> plans = new HashMap<>();

    /** The four ops over one array or one block of it. */
    private static final class Arithmetic {
        final PreparedScale decay = new PreparedScale();
        final PreparedScale scaleGradient = new PreparedScale();
        final PreparedOp add = new PreparedOp("add");
        final PreparedOp subtract = new PreparedOp("subtract");

        void run(INDArray w, INDArray g, INDArray v, double mu, double lr, INDArray scaled) {
            decay.exec(v, mu, v);
            add.exec(v, v, scaleGradient.exec(g, lr, scaled));
            subtract.exec(w, w, v);
        }
    }

    /** A block of W, g and v with its part of the temporary and its own ops. */
    private record Block(INDArray w, INDArray g, INDArray v, INDArray scaled, Arithmetic arithmetic) { }

    public Momentum(double mu) { this.mu = mu; }

    @Override public String id() { return "momentum"; }

    @Override public void apply(List<Param> params, Updates updates, double lr) {
        for (Param p : params) {
            INDArray g = updates.get(p.name());
            if (g == null) continue;
            INDArray v = velocity.computeIfAbsent(p.name(), k -> Scratch.outsideWorkspaces(p.value()::like));
            List<Block> blocks = plans.computeIfAbsent(p.name(),
                    k -> new CacheBlocks.Plan<>((b, t) -> new Block(b[0], b[1], b[2], t, new Arithmetic()))).blocks(p.value(), g, v);
            if (blocks != null) {
                for (Block b : blocks) b.arithmetic().run(b.w(), b.g(), b.v(), mu, lr, b.scaled());
            } else {
                arithmetic.computeIfAbsent(p.name(), k -> new Arithmetic()).run(p.value(), g, v, mu, lr, scratch.like(p.name(), g));
            }
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
