package org.creditlab.optim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.nn.Param;
import org.creditlab.nn.PreparedOp;
import org.creditlab.nn.PreparedScale;
import org.creditlab.nn.ProductGradient;
import org.creditlab.nn.Scratch;
import org.creditlab.rules.Updates;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain stochastic gradient descent: W ← W − η g. An update a rule gives as a product (a dense layer's weight gradient,
 * {@link ProductGradient}) is applied inside the product, W + (−η)·hᵀδ with the product's β = 1, so the gradient is
 * neither written to memory nor read back. Any other update is formed and applied by two library ops (η g into a kept
 * buffer, then W − η g in place) whose contexts are kept from step to step: on a [1024, 10] layer building the two ops
 * each step took 38 µs of which the arithmetic is 12. A large parameter whose update comes in the same array step after
 * step (a rule's reused gradient buffer) is updated in {@link CacheBlocks}, the same two ops per block, so η g stays in
 * the cache.
 */
public final class Sgd implements Optimizer {
    private final Scratch scratch = new Scratch();
    private final Map<String, Arithmetic> arithmetic = new HashMap<>();

    /** Whether updates given as products are applied inside the product (see {@link #Sgd()}). */
    private final boolean inProduct;

    /**
     * SGD as training runs it: updates given as products are applied inside the product. On a bp step at 1 thread that
     * took fc 500,500 batch 64 from 3.35–3.52 to 3.09–3.20 ms (same process, alternating), at 2 threads fc 1024 batch 64
     * from 1.92–2.04 to 1.57–1.71 ms and fc 500,500 from 2.25–2.31 to 1.95–1.98 ms. The β = 1 product rounds the sums
     * differently from the two ops on some shapes (on this project's Intel machine, 1024- and 4096-wide layers: 9–50 %
     * of fc 1024's first-layer elements differ by 1–2 units in the last place after one update, and in double precision
     * 500-wide ones too; float 500-, 256-, 128- and 10-wide layers come out bit for bit the same). Results stay identical
     * run to run at a fixed thread count.
     */
    public Sgd() {
        this(true);
    }

    /**
     * @param inProduct whether an update given as a product is applied inside the product ({@link #Sgd()}); false forms
     *                  every update and subtracts it by the two ops (what 1-thread runs did until 2026-12-08), the
     *                  reference that {@code credit bench} and the tests compare the product path against
     */
    public Sgd(boolean inProduct) {
        this.inProduct = inProduct;
    }

    /** The two ops over one array or one block of it: out = x·η into {@code scaled}, then W − out in place. */
    private static final class Arithmetic {
        final PreparedScale scaleGradient = new PreparedScale();
        final PreparedOp subtract = new PreparedOp("subtract");

        void run(INDArray w, INDArray g, double lr, INDArray scaled) {
            subtract.exec(w, w, scaleGradient.exec(g, lr, scaled));
        }
    }

    /** A block of W and g with its part of the temporary and its own ops. */
    private record Block(INDArray w, INDArray g, INDArray scaled, Arithmetic arithmetic) { }

    private final Map<String, CacheBlocks.Plan<Block>> plans = new HashMap<>();

    @Override public String id() { return "sgd"; }

    @Override public void apply(List<Param> params, Updates updates, double lr) {
        for (Param p : params) {
            ProductGradient product = inProduct ? updates.product(p.name()) : null;
            if (product != null) {
                product.subtractFrom(p.value(), lr);
                continue;
            }
            INDArray g = updates.get(p.name());
            if (g == null) continue;
            List<Block> blocks = plans.computeIfAbsent(p.name(),
                    k -> new CacheBlocks.Plan<>((v, t) -> new Block(v[0], v[1], t, new Arithmetic()))).blocks(p.value(), g);
            if (blocks != null) {
                for (Block b : blocks) b.arithmetic().run(b.w(), b.g(), lr, b.scaled());
            } else {
                arithmetic.computeIfAbsent(p.name(), k -> new Arithmetic()).run(p.value(), g, lr, scratch.like(p.name(), g));
            }
        }
    }

    @Override public Map<String, INDArray> state() { return Map.of(); }
    @Override public void loadState(Map<String, INDArray> state) { }
}
