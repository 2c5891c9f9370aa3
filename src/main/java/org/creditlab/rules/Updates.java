package org.creditlab.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.creditlab.nn.Layer;
import org.creditlab.nn.Param;
import org.creditlab.nn.ProductGradient;
import org.creditlab.nn.StepMemory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a learning rule proposes for one step: one update per parameter name, in gradient sign convention (the
 * optimizer subtracts it), as an array or as the product that forms it, plus the clean-pass batch loss the rule saw
 * and any scalars it wants logged.
 */
public final class Updates {
    /** Every parameter's update in the order put; null for a product not formed yet. */
    private final Map<String, INDArray> byParam = new LinkedHashMap<>();
    /** The updates given as products, formed or not: plain SGD applies these inside the product. */
    private final Map<String, ProductGradient> products = new LinkedHashMap<>();
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private double loss = Double.NaN;

    public Updates put(String param, INDArray update) {
        byParam.put(param, update);
        products.remove(param);
        return this;
    }

    /**
     * An update given as the product that forms it (a dense layer's weight gradient), formed only when {@link #get} or
     * {@link #asMap} asks for it; {@link #product} hands it to an optimizer that can apply it without forming it.
     * Whoever reads the formed array must not change it in place (the product would no longer say what it holds).
     */
    public Updates putProduct(String param, ProductGradient update) {
        byParam.put(param, null);
        products.put(param, update);
        return this;
    }

    /** Layer {@code l}'s gradients from a {@link Layer.Step}: dW as given (array or product), db when the layer has one. */
    public Updates putGradients(int l, Layer.Step step) {
        if (step.weightProduct() != null) putProduct(Param.weightName(l), step.weightProduct());
        else put(Param.weightName(l), step.gradient().dW());
        if (step.gradient().db() != null) put(Param.biasName(l), step.gradient().db());
        return this;
    }

    /** The update of {@code param} (formed now if it was given as a product), or null when there is none. */
    public INDArray get(String param) {
        INDArray u = byParam.get(param);
        if (u != null) return u;
        ProductGradient p = products.get(param);
        if (p == null) return null;
        u = p.form();
        byParam.put(param, u);
        return u;
    }

    /** The update of {@code param} as a product, or null when it was given as an array. */
    public ProductGradient product(String param) { return products.get(param); }

    /** Every update, products formed. */
    public Map<String, INDArray> asMap() {
        for (String param : products.keySet()) get(param);
        return Collections.unmodifiableMap(byParam);
    }

    /** The mean loss of the batch on the clean forward pass, before the update. */
    public double loss() { return loss; }
    public Updates loss(double value) { this.loss = value; return this; }

    /**
     * These updates with every array that lives in a {@link StepMemory} block copied out ({@link StepMemory#keep}), for a
     * rule's step to return from its block; arrays already outside (its reused buffers) are passed on as they are.
     */
    public Updates kept() {
        Updates out = new Updates().loss(loss);
        byParam.forEach((k, v) -> {
            ProductGradient p = products.get(k);
            if (p == null) {
                out.put(k, StepMemory.keep(v));
            } else {
                out.putProduct(k, p.kept());
                if (v != null) out.byParam.put(k, StepMemory.keep(v));
            }
        });
        scalars.forEach(out::scalar);
        return out;
    }

    public Updates scalar(String key, double value) { scalars.put(key, value); return this; }
    public Map<String, Double> scalars() { return Collections.unmodifiableMap(scalars); }
}
