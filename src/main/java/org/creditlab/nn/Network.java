package org.creditlab.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A feed-forward stack of {@link Layer}s with the loss it is trained on. The forward pass records every
 * layer's input, pre-activation and output so that learning rules can form their updates.
 */
public final class Network {
    private final List<Layer> layers;
    private final Loss loss;
    private final List<Param> params;

    public Network(List<Layer> layers, Loss loss) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a network needs at least one layer");
        if (!loss.supports(layers.get(layers.size() - 1).activation())) {
            throw new org.creditlab.UserError("loss '" + loss.id() + "' cannot follow a "
                    + layers.get(layers.size() - 1).activation().id() + " output layer (use a softmax output)");
        }
        this.layers = List.copyOf(layers);
        this.loss = loss;
        List<Param> ps = new ArrayList<>();
        for (int l = 0; l < this.layers.size(); l++) {
            Layer layer = this.layers.get(l);
            ps.add(new Param(Param.weightName(l), l, Param.Kind.WEIGHT, layer.weight()));
            if (layer.hasBias()) ps.add(new Param(Param.biasName(l), l, Param.Kind.BIAS, layer.bias()));
        }
        this.params = Collections.unmodifiableList(ps);
    }

    public int depth() { return layers.size(); }
    public Layer layer(int l) { return layers.get(l); }
    public List<Layer> layers() { return layers; }
    public Layer outputLayer() { return layers.get(layers.size() - 1); }
    public Loss loss() { return loss; }
    /** Trainable tensors in a fixed order (layer by layer, W then b); the values are the live arrays. */
    public List<Param> params() { return params; }
    public DataType dataType() { return layers.get(0).weight().dataType(); }

    public long parameterCount() {
        long n = 0;
        for (Param p : params) n += p.value().length();
        return n;
    }

    /** A plain forward pass (no noise, no dropout). */
    public ForwardPass forward(INDArray x) {
        return forward(x, ForwardOptions.PLAIN);
    }

    public ForwardPass forward(INDArray x, ForwardOptions options) {
        List<LayerRecord> records = new ArrayList<>(layers.size());
        JvmRandom masks = null;   // dropout masks, seeded from the pass's dropout stream on first use
        INDArray h = x;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            INDArray z = l == 0 && options.firstLinear() != null ? options.firstLinear() : layer.linear(h);
            Normalization.Normalized nr = layer.norm() == null ? null : layer.norm().forward(z);
            INDArray a = nr == null ? z : nr.a();
            INDArray noise = options.noise() == null ? null : options.noise().apply(l);
            if (noise != null) a = a.add(noise);
            INDArray hb = layer.activation().apply(a);
            List<INDArray> postInputs = layer.post().isEmpty() ? List.of() : new ArrayList<>();
            INDArray pooled = layer.applyPost(hb, postInputs);
            INDArray mask = null;
            boolean hidden = l < layers.size() - 1;
            if (hidden && options.reuseMasks() != null) {
                mask = options.reuseMasks().get(l);
            } else if (hidden && options.dropoutKeep() < 1.0) {
                if (masks == null) masks = new JvmRandom(options.dropoutRng());
                mask = masks.fillDropoutMask(Nd4j.createUninitialized(pooled.dataType(), pooled.shape(), 'c'), options.dropoutKeep());
            }
            INDArray out = mask == null ? pooled : pooled.mul(mask);
            if (hidden && options.hiddenOutput() != null) out = options.hiddenOutput().apply(out);
            records.add(new LayerRecord(h, z, nr, noise, a, hb, mask, out, postInputs));
            h = out;
        }
        return new ForwardPass(records);
    }

    /** ŷ for a batch, without recording anything a rule would need. */
    public INDArray predict(INDArray x) {
        return forward(x).output();
    }

    /** A deep copy with independent parameters (the frozen initial network of the Align rules). */
    public Network copy() {
        return castTo(dataType());
    }

    /** A deep copy whose parameters are cast to {@code dtype} (e.g. double for delicate differences). */
    public Network castTo(DataType dtype) {
        List<Layer> copies = new ArrayList<>();
        for (Layer layer : layers) copies.add(layer.copy(dtype));
        return new Network(copies, loss);
    }

    /** Overwrite this network's parameters with another network's of the same shape. */
    public void assignFrom(Network other) {
        for (int i = 0; i < params.size(); i++) params.get(i).value().assign(other.params.get(i).value());
    }

    /** "784-500-500-10 (relu, softmax output, ce loss)"; for networks with convolutions or pooling, the layer spec. */
    public String describe() {
        boolean plain = layers.stream().allMatch(l -> l.op() instanceof Dense && l.post().isEmpty());
        if (!plain) {
            long[] in = layers.get(0).op().inputShape();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < in.length; i++) sb.append(i == 0 ? "" : "x").append(in[i]);
            return sb.append(' ').append(LayerSpec.render(this)).append(" (").append(outputLayer().activation().id())
                    .append(" output, ").append(loss.id()).append(" loss)").toString();
        }
        StringBuilder sb = new StringBuilder();
        sb.append(layers.get(0).op().fanIn());
        for (Layer layer : layers) sb.append('-').append(layer.op().outputShape()[0]);
        sb.append(" (").append(layers.get(0).activation().id()).append(", ")
                .append(outputLayer().activation().id()).append(" output, ").append(loss.id()).append(" loss)");
        return sb.toString();
    }
}
