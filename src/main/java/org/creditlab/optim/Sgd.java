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
 * Plain stochastic gradient descent: W ← W − η g, as two library ops (η g into a kept buffer, then W − η g in place)
 * whose contexts are kept from step to step: on a [1024, 10] layer building the two ops each step took 38 µs of which
 * the arithmetic is 12. A large parameter whose update comes in the same array step after step (a rule's reused
 * gradient buffer) is updated in {@link CacheBlocks}, the same two ops per block, so η g stays in the cache. From 2
 * threads on, an update a rule gives as a product (a dense layer's weight gradient) is applied inside the product
 * instead, which rounds differently on some shapes: see {@link #forThreads}.
 */
public final class Sgd implements Optimizer {
    private final Scratch scratch = new Scratch();
    private final Map<String, Arithmetic> arithmetic = new HashMap<>();

    /** Whether updates given as products are applied inside the product (see {@link #forThreads}). */
    private final boolean inProduct;

    /** SGD that forms every update and applies it by the two ops: the arithmetic of every earlier version. */
    public Sgd() {
        this(false);
    }

    /**
     * @param inProduct whether an update given as a product (a dense layer's weight gradient, {@link ProductGradient}) is
     *                  applied inside the product, W + (−η)·hᵀδ with the product's β = 1, instead of being formed and
     *                  subtracted by the two ops
     */
    public Sgd(boolean inProduct) {
        this.inProduct = inProduct;
    }

    /**
     * The SGD a run with {@code threads} threads uses: updates applied inside their products from 2 threads on. There
     * the products run on every thread and the element-wise ops on one (see {@code Backend.setThreads}), so the
     * update's pass over W and the gradient stays serial while the product around it got faster; inside the product it
     * is threaded too and the gradient is never written. Measured on a bp step, same process, alternating, 2 threads:
     * fc 1024 batch 64 1.92–2.04 → 1.57–1.71 ms, fc 500,500 batch 64 2.25–2.31 → 1.95–1.98 ms; at 1 thread the same
     * change moved the step by −10 % to +2 % (about −4 % in the middle), no more than this machine's noise from run to
     * run. The product's β = 1 path rounds the sums differently on some shapes (on fc 1024's first layer 9–50 % of the
     * elements differ in the last bit after one update), so at 1 thread, where it buys little, the two-op update stays
     * and every 1-thread result (the README's tables) is bit for bit what it was. Results stay identical run to run at
     * a fixed thread count either way.
     */
    public static Sgd forThreads(int threads) {
        return new Sgd(threads > 1);
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
