package org.creditlab.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.UserError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.rng.Random;

/**
 * Everything needed to build a network: a named network (a preset written in the {@link LayerSpec} language)
 * or a user's own {@code layers} spec, plus the settings every layer shares. There is one way to build a
 * network: each preset expands to a spec string, and {@link LayerSpec#build} builds it.
 *
 * @param kind             a name from {@link #PRESETS}, or {@link #CUSTOM} when {@code layers} is given
 * @param inputShape       one example's shape, e.g. [1, 28, 28]
 * @param hidden           hidden layer widths of the fc presets, e.g. [500, 500]
 * @param classes          output width
 * @param hiddenActivation φ of hidden layers (the spec's {@code act}; linfc uses linear)
 * @param outputActivation φ of the output layer
 * @param initializer      weight initialiser; biases start at zero
 * @param bias             whether layers have biases (PEPITA has none)
 * @param loss             the training loss
 * @param dataType         parameter dtype
 * @param layers           the user's layer spec (kind {@link #CUSTOM}), else null
 * @param width            the channel count of the presets that take one (0 = the preset's own)
 */
public record NetworkSpec(String kind, long[] inputShape, List<Integer> hidden, int classes,
                          Activation hiddenActivation, Activation outputActivation, Initializer initializer,
                          boolean bias, Loss loss, DataType dataType, String layers, int width) {

    /** The kind of a network given by its {@code layers} spec. */
    public static final String CUSTOM = "custom";

    /**
     * A named network. {@code template} is a layer spec with {w} (the width), {2w} and {classes} filled in at
     * build time, or null for the fc presets, which are written from {@code hidden}.
     */
    public record Preset(String name, String template, int defaultWidth, String description) {
        public boolean takesWidth() { return template != null && template.contains("{w}"); }
        /** The fc presets, written from {@code hidden} rather than from a template. */
        public boolean fullyConnected() { return template == null; }
        /** Whether the preset has a convolution (a rule's defaults differ there). */
        public boolean convolutional() { return template != null && template.contains("conv"); }
    }

    private static final String NTK_STRIDES_CONV = ntkConv(new int[] {1, 1, 1, 2, 1, 2, 1});

    /** Every named network, in the order {@code credit networks} lists them. */
    public static final Map<String, Preset> PRESETS = presets(
            new Preset("fc", null, 0, "fully connected: fc<h>,act per hidden width, then fc<classes>"),
            new Preset("linfc", null, 0, "fully connected with linear hidden layers"),
            new Preset("fc-ntk", null, 0, "fully connected, NTK parameterisation with batch norm (Boopathy & Fiete)"),
            new Preset("conv", "conv{w}k3same,act,conv{w}k3s2same,act,conv{w}k3same,act,fc{classes}", 32,
                    "nodepert network_init/conv.py: 3 conv 3x3 (stride 2 in the second), SAME, dense readout"),
            new Preset("conv-large", "conv{w}k5same,act,conv{w}k3s2same,act,conv{2w}k5same,act,conv{2w}k3s2same,act,"
                    + "conv{2w}k3same,act,conv{2w}k1same,act,conv{classes}k1same,act,fc{classes}", 96,
                    "nodepert network_init/conv_large.py: All-CNN-like, 96-96-192-192-192-192-classes, dense readout"),
            new Preset("lenet", "conv6k5p2,act,maxpool2,conv16k5,act,maxpool2,fc120,act,fc84,act,fc{classes}", 0,
                    "LeNet-5 as in BioTorch's benchmark: 6@5x5 (pad 2), maxpool, 16@5x5, maxpool, 120, 84"),
            new Preset("pepita-conv", "conv{w}k5,act,maxpool2,fc{classes}", 32,
                    "PEPITA's Net1conv1fcXL: 32@5x5, maxpool 2, dense readout (4608 inputs on 28x28)"),
            new Preset("conv-ntk", NTK_STRIDES_CONV + "gap,fc{classes}", 64,
                    "Boopathy & Fiete's CNN: 7 conv 3x3, strides 1,1,1,2,1,2,1, SAME, NTK scaling, batch norm, GAP readout"));

    /** The names of {@link #PRESETS}. */
    public static final List<String> KINDS = List.copyOf(PRESETS.keySet());

    /** A named fc network (the original constructor: no layer spec, default width). */
    public NetworkSpec(String kind, long[] inputShape, List<Integer> hidden, int classes, Activation hiddenActivation,
                       Activation outputActivation, Initializer initializer, boolean bias, Loss loss, DataType dataType) {
        this(kind, inputShape, hidden, classes, hiddenActivation, outputActivation, initializer, bias, loss, dataType, null, 0);
    }

    /** The layer spec this network is built from, numbers filled in. */
    public String specText() {
        if (CUSTOM.equals(kind)) {
            if (layers == null) throw new UserError("network 'custom' needs a layers spec");
            if (width != 0) {
                throw new UserError("width sets the channels of the presets " + String.join(", ", PRESETS.values().stream()
                        .filter(Preset::takesWidth).map(Preset::name).toList()) + "; a layers spec gives its own (drop width)");
            }
            return layers;
        }
        Preset p = preset(kind);
        if (width != 0 && !p.takesWidth()) {
            throw new UserError("network '" + kind + "' has fixed widths; width applies to "
                    + String.join(", ", PRESETS.values().stream().filter(Preset::takesWidth).map(Preset::name).toList()));
        }
        if (width < 0) throw new UserError("width must be positive, got " + width);
        if (p.fullyConnected()) return fullyConnected(p.name());
        int w = width > 0 ? width : p.defaultWidth();
        return p.template().replace("{2w}", String.valueOf(2L * w)).replace("{w}", String.valueOf(w))
                .replace("{classes}", String.valueOf(classes));
    }

    private String fullyConnected(String name) {
        StringBuilder sb = new StringBuilder(name.equals("fc-ntk") ? "ntk:" : "");
        String act = name.equals("linfc") ? "linear" : "act";
        for (Integer h : hidden) {
            if (h == null || h <= 0) throw new UserError("layer widths must be positive, got " + h);
            sb.append("fc").append(h).append(name.equals("fc-ntk") ? ",bn," : ",").append(act).append(',');
        }
        return sb.append("fc").append(classes).toString();
    }

    /** Whether a run config's network is one of the fc presets (the ones {@code hidden} shapes). */
    public static boolean fullyConnectedPreset(org.creditlab.experiment.RunConfig cfg) {
        return cfg.layers == null && PRESETS.containsKey(cfg.network) && PRESETS.get(cfg.network).fullyConnected();
    }

    public static Preset preset(String kind) {
        Preset p = PRESETS.get(kind);
        if (p == null) {
            throw new UserError("unknown network '" + kind + "' (expected one of " + String.join(", ", KINDS)
                    + ", or a layers spec; see 'credit networks')");
        }
        return p;
    }

    public Network build(Random rng) {
        return LayerSpec.parse(specText()).build(inputShape, classes, hiddenActivation, outputActivation, initializer,
                bias, loss, dataType, rng);
    }

    /**
     * The network's size without building it: {parameters, units}, where units counts every layer's outputs per
     * example (before pooling) plus the input, the activity a pass keeps per example.
     */
    public long[] size() {
        List<Layer> layers = LayerSpec.parse(specText()).plan(inputShape, classes, hiddenActivation, outputActivation, bias);
        long params = 0;
        long units = 1;
        for (long d : inputShape) units *= d;
        for (Layer l : layers) {
            long w = 1;
            for (long d : l.op().weightShape()) w *= d;
            long out = 1;
            for (long d : l.op().outputShape()) out *= d;
            params += w + (bias ? l.op().biasShape()[1] : 0);
            units += out;
        }
        return new long[] {params, units};
    }

    private static String ntkConv(int[] strides) {
        StringBuilder sb = new StringBuilder("ntk:");
        for (int s : strides) sb.append("conv{w}k3").append(s == 1 ? "" : "s" + s).append("same,bn,act,");
        return sb.toString();
    }

    private static Map<String, Preset> presets(Preset... ps) {
        Map<String, Preset> m = new LinkedHashMap<>();
        for (Preset p : ps) m.put(p.name(), p);
        return java.util.Collections.unmodifiableMap(m);
    }
}
