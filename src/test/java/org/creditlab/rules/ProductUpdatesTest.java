package org.creditlab.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.creditlab.nn.MatMul;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.nn.ProductGradient;
import org.creditlab.nn.StepMemory;
import org.creditlab.optim.Optimizers;
import org.creditlab.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight gradients of dense layers travel as unformed products ({@link ProductGradient}): reading one forms exactly
 * the array the eager path wrote, its factors survive the step's memory block, and SGD either forms it (bit for bit
 * the two-op update) or applies it inside the product without ever writing the gradient.
 */
class ProductUpdatesTest {

    private static INDArray gaussian(long seed, long... shape) {
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(a, 0.0, 1.0), Fixtures.rng(seed));
        return a;
    }

    private static int[] bits(INDArray a) {
        float[] f = a.dup().data().asFloat();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
        return out;
    }

    private static ProductGradient product(long seed, int batch, int in, int out, double alpha) {
        return new ProductGradient(gaussian(seed, batch, in), gaussian(seed + 1, batch, out).muli(0.01), true, false, alpha,
                Nd4j.create(DataType.FLOAT, in, out));
    }

    /** MatMul.accumulate adds alpha·op(a)·op(b) to what out holds: a case small enough to work by hand. */
    @Test void accumulateAddsTheScaledProductToOut() {
        INDArray w = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        INDArray a = Nd4j.createFromArray(new double[][] {{1, 0}, {2, 1}});
        INDArray b = Nd4j.createFromArray(new double[][] {{1, 1}, {0, 2}});
        // aᵀb = [[1, 5], [0, 2]]
        MatMul.accumulate(a, b, true, false, -0.5, w);
        assertArrayEquals(new double[] {0.5, -0.5, 3, 3}, w.reshape(4).toDoubleVector(), 0.0);
        MatMul.accumulate(b, a, false, true, 2.0, w);
        // b·aᵀ = [[1, 3], [0, 2]]
        assertArrayEquals(new double[] {2.5, 5.5, 3, 7}, w.reshape(4).toDoubleVector(), 0.0);
    }

    @Test void readingAProductFormsItOnceIntoItsBuffer() {
        ProductGradient p = product(1, 16, 30, 20, 0.5);
        Updates u = new Updates().putProduct("layer0.W", p).put("layer0.b", Nd4j.ones(DataType.FLOAT, 1, 20));
        assertSame(p, u.product("layer0.W"));
        assertNull(u.product("layer0.b"));
        INDArray expected = MatMul.product(p.a(), p.b(), true, false, 0.5);
        INDArray formed = u.get("layer0.W");
        assertSame(p.buffer(), formed, "formed into the rule's reused buffer");
        assertArrayEquals(bits(expected), bits(formed));
        assertSame(formed, u.get("layer0.W"), "formed once");
        assertEquals(List.of("layer0.W", "layer0.b"), new ArrayList<>(u.asMap().keySet()), "order kept");
        u.put("layer0.W", Nd4j.zeros(DataType.FLOAT, 30, 20));
        assertNull(u.product("layer0.W"), "an array put over a product replaces it");
    }

    @Test void asMapFormsEveryProduct() {
        ProductGradient p = product(3, 8, 12, 6, 1.0);
        Updates u = new Updates().putProduct("layer1.W", p);
        INDArray formed = u.asMap().get("layer1.W");
        assertNotNull(formed);
        assertArrayEquals(bits(MatMul.product(p.a(), p.b(), true, false)), bits(formed));
    }

    /** kept() copies a product's factors out of the block: formed after the block is gone, it is what it was inside. */
    @Test void keptProductsOutliveTheStepsMemory() {
        StepMemory memory = new StepMemory("product-test");
        INDArray buffer = Nd4j.create(DataType.FLOAT, 40, 24);
        INDArray[] inside = new INDArray[1];
        Updates kept = memory.run(() -> {
            INDArray a = gaussian(5, 32, 40);
            INDArray b = gaussian(6, 32, 24);
            assertTrue(a.isAttached(), "the factors live in the block");
            inside[0] = MatMul.product(a, b, true, false).detach();
            return new Updates().putProduct("layer0.W", new ProductGradient(a, b, true, false, 1.0, buffer)).kept();
        });
        // overwrite the block's memory with another step before forming the kept product
        memory.run(() -> gaussian(7, 32, 40).addi(gaussian(8, 32, 40)));
        assertFalse(kept.product("layer0.W").a().isAttached());
        assertArrayEquals(bits(inside[0]), bits(kept.get("layer0.W")));
    }

    /** Backprop's dense layers give products, and what they form is the layer's gradient hᵀδ (checked against finite
     *  differences elsewhere) computed from the recorded pass. */
    @Test void backpropGivesDenseWeightGradientsAsProducts() {
        Network net = Fixtures.softmaxNet("fc", 20, List.of(12), 5, DataType.FLOAT, 11);
        Batch batch = Fixtures.synthetic(9, 20, 5, 0, DataType.FLOAT, 12);
        Updates u = new Backprop().compute(net, batch, null, Fixtures.ctx(0, 0.1));
        for (int l = 0; l < net.depth(); l++) {
            ProductGradient p = u.product(Param.weightName(l));
            assertNotNull(p, "layer " + l);
            assertFalse(p.a().isAttached() || p.b().isAttached(), "factors outside the step's memory");
            assertNull(u.product(Param.biasName(l)), "bias gradients stay arrays");
        }
        Updates eager = Backprop.gradient(net, batch);
        for (int l = 0; l < net.depth(); l++) {
            assertArrayEquals(bits(eager.get(Param.weightName(l))), bits(u.get(Param.weightName(l))), "layer " + l);
        }
    }

    /**
     * Node perturbation and PEPITA form their dense updates as products of their own (presynaptic activity ᵀ · a
     * per-unit error) and hand them over unformed too; np in double precision casts its updates, so it gives arrays.
     */
    @Test void nodePerturbationAndPepitaGiveDenseUpdatesAsProducts() {
        Batch batch = Fixtures.synthetic(9, 20, 5, 0, DataType.FLOAT, 14);
        for (String[] rule : new String[][] {{"np", "float"}, {"np", "double"}, {"pepita", ""}}) {
            Network net = Fixtures.softmaxNet("fc", 20, List.of(12), 5, DataType.FLOAT, 13);
            java.util.Map<String, Object> options = rule[1].isEmpty() ? java.util.Map.of() : java.util.Map.of("precision", rule[1]);
            LearningRule r = RuleRegistry.get(rule[0]).create(new RuleOptions(rule[0], options));
            RuleState state = r.init(net, Fixtures.rng(15));
            Updates u = r.compute(net, batch, state, Fixtures.ctx(0, 0.1));
            for (int l = 0; l < net.depth(); l++) {
                String w = Param.weightName(l);
                boolean cast = rule[1].equals("double");
                assertEquals(!cast, u.product(w) != null, String.join(" ", rule) + " layer " + l);
                assertEquals(DataType.FLOAT, u.get(w).dataType());
                assertArrayEquals(new long[] {l == 0 ? 20 : 12, l == 0 ? 12 : 5}, u.get(w).shape());
            }
        }
    }

    /**
     * Sgd(false) forms the product and subtracts it by the two ops: the same bits as an update given as an array.
     * Sgd(true) adds −η·hᵀδ inside the product: the same values to float rounding, and the gradient is never written
     * (its buffer keeps the NaNs it was filled with).
     */
    @Test void sgdAppliesProductsFormedOrInsideTheProduct() {
        for (int[] shape : new int[][] {{64, 784, 100}, {5, 300, 10}, {100, 257, 33}}) {
            INDArray w0 = gaussian(20, shape[1], shape[2]).muli(0.05);
            ProductGradient p = product(21, shape[0], shape[1], shape[2], 1.0);
            double lr = 0.1;

            INDArray byArray = w0.dup();
            new Sgd().apply(List.of(new Param("layer0.W", 0, Param.Kind.WEIGHT, byArray)),
                    new Updates().put("layer0.W", MatMul.product(p.a(), p.b(), true, false)), lr);

            INDArray formed = w0.dup();
            new Sgd(false).apply(List.of(new Param("layer0.W", 0, Param.Kind.WEIGHT, formed)),
                    new Updates().putProduct("layer0.W", p), lr);
            assertArrayEquals(bits(byArray), bits(formed), "formed then the two ops");

            p.buffer().assign(Float.NaN);
            INDArray inside = w0.dup();
            new Sgd(true).apply(List.of(new Param("layer0.W", 0, Param.Kind.WEIGHT, inside)),
                    new Updates().putProduct("layer0.W", p), lr);
            assertTrue(p.buffer().isNaN().all(), "the gradient was never written");
            double scale = byArray.sub(w0).norm2Number().doubleValue();
            double diff = inside.sub(byArray).amaxNumber().doubleValue();
            assertTrue(scale > 0.01, "the update moved W");
            assertTrue(diff <= 2e-7 * w0.amaxNumber().doubleValue() + 1e-9, "inside the product: " + diff);
        }
    }

    /**
     * The SGD a run gets by name (at any thread count) applies a product inside it: the gradient's buffer is never
     * written, and W moves as the two-op reference moves it, to float rounding.
     */
    @Test void runsApplyProductsInsideThem() {
        INDArray w0 = gaussian(30, 784, 64).muli(0.05);
        ProductGradient p = product(31, 100, 784, 64, 1.0);
        INDArray reference = w0.dup(), run = w0.dup();
        new Sgd(false).apply(List.of(new Param("layer0.W", 0, Param.Kind.WEIGHT, reference)), new Updates().putProduct("layer0.W", p), 0.1);
        p.buffer().assign(Float.NaN);
        Optimizers.create("sgd", 0, 0, 0, 0, 0).apply(List.of(new Param("layer0.W", 0, Param.Kind.WEIGHT, run)),
                new Updates().putProduct("layer0.W", p), 0.1);
        assertTrue(p.buffer().isNaN().all(), "applied inside the product");
        assertTrue(reference.sub(w0).norm2Number().doubleValue() > 0.01, "the update moved W");
        assertTrue(run.sub(reference).amaxNumber().doubleValue() <= 2e-7 * w0.amaxNumber().doubleValue() + 1e-9);
    }
}
