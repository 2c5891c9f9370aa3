package org.creditlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.creditlab.UserError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The compact network description behind the {@code layers} config key and every named network: comma-separated
 * elements, read left to right.
 * <pre>
 *   conv&lt;C&gt;k&lt;K&gt;[s&lt;S&gt;][p&lt;P&gt;|same|valid]   convolution, C channels, K×K kernel, stride S (1), padding (valid)
 *   fc&lt;N&gt;                                   fully connected, N units (flattens image-shaped input)
 *   bn                                      batch norm without affine on batch statistics, right after conv/fc
 *   relu | tanh | sigmoid | linear | act     the nonlinearity of the layer just opened (act = the run's
 *                                           {@code activation}); a layer without one is linear
 *   maxpool&lt;K&gt;[s&lt;S&gt;] | avgpool&lt;K&gt;[s&lt;S&gt;]     pooling over K×K windows, stride S (K), after the nonlinearity
 *   gap                                     global average pooling [C, H, W] → [C]
 *   flatten                                 a marker before an fc layer (fc flattens by itself); only fc may follow
 * </pre>
 * The last element is the readout {@code fc<classes>}; the run's {@code output_activation} and loss apply after
 * it. A leading {@code ntk:} selects Boopathy &amp; Fiete's NTK parameterisation: W ~ N(0, 1) whatever the
 * initialiser, each op scaled by 1/√fan_in (k²·C_in for a convolution, n_in for fc).
 * E.g. {@code conv32k3s1,relu,maxpool2,conv64k3,relu,gap,fc10}.
 */
public final class LayerSpec {
    private static final Pattern CONV = Pattern.compile("conv(\\d+)k(\\d+)(?:s(\\d+))?(?:p(\\d+)|(same)|(valid))?");
    private static final Pattern FC = Pattern.compile("fc(\\d+)");
    private static final Pattern POOL = Pattern.compile("(max|avg)pool(\\d+)(?:s(\\d+))?");
    private static final String NTK_PREFIX = "ntk:";
    /** Upper bounds that catch typos before anything is allocated. */
    private static final int MAX_KERNEL = 64;
    private static final long MAX_UNITS = Integer.MAX_VALUE;

    private final String text;
    private final boolean ntk;
    private final List<String> elements;

    private LayerSpec(String text, boolean ntk, List<String> elements) {
        this.text = text;
        this.ntk = ntk;
        this.elements = elements;
    }

    /** Parses the element list (shapes are checked by {@link #build}). */
    public static LayerSpec parse(String text) {
        if (text == null || text.isBlank()) throw new UserError("layers is empty: give elements such as conv32k3,relu,fc10");
        String t = text.trim().toLowerCase(Locale.ROOT);
        boolean ntk = t.startsWith(NTK_PREFIX);
        if (ntk) t = t.substring(NTK_PREFIX.length());
        List<String> elements = new ArrayList<>();
        for (String e : t.split(",", -1)) {
            String s = e.trim();
            if (s.isEmpty()) throw new UserError("layers '" + text + "' has an empty element (two commas in a row, or a trailing comma)");
            elements.add(s);
        }
        return new LayerSpec(text.trim(), ntk, List.copyOf(elements));
    }

    /**
     * Whether a spec holds a convolution (a rule's defaults differ on conv networks). A spec that does not parse
     * counts as fc here; building it reports the error.
     */
    public static boolean hasConvolution(String text) {
        try {
            return parse(text).elements.stream().anyMatch(e -> CONV.matcher(e).matches());
        } catch (UserError e) {
            return false;
        }
    }

    public boolean ntk() { return ntk; }
    public List<String> elements() { return elements; }
    @Override public String toString() { return text; }

    /**
     * Builds the network on one example's input shape (e.g. [1, 28, 28]); weights are drawn in layer order, W then
     * b, so a spec and the network it names draw the same numbers.
     *
     * @param hiddenActivation what {@code act} stands for
     * @param initializer      weight initialiser (ignored under ntk:); biases start at zero
     */
    public Network build(long[] inputShape, int classes, Activation hiddenActivation, Activation outputActivation,
                         Initializer initializer, boolean bias, Loss loss, DataType dataType, Random rng) {
        return new Network(layers(inputShape, classes, hiddenActivation, outputActivation, initializer, bias, dataType, rng), loss);
    }

    /**
     * The layers with their shapes checked but no weights allocated (null W and b): what a network of this spec
     * would hold, for estimating its memory before building it.
     */
    public List<Layer> plan(long[] inputShape, int classes, Activation hiddenActivation, Activation outputActivation, boolean bias) {
        return layers(inputShape, classes, hiddenActivation, outputActivation, Initializer.XAVIER_NORMAL, bias, DataType.FLOAT, null);
    }

    /** rng null: no weights are drawn (see {@link #plan}). */
    private List<Layer> layers(long[] inputShape, int classes, Activation hiddenActivation, Activation outputActivation,
                               Initializer initializer, boolean bias, DataType dataType, Random rng) {
        List<Layer> layers = new ArrayList<>();
        Open open = null;
        long[] shape = inputShape.clone();
        long[] flattened = null;   // the activity's shape [N] right after a flatten element, until the next layer
        for (int i = 0; i < elements.size(); i++) {
            String e = elements.get(i);
            String where = "layers element " + (i + 1) + " '" + e + "'";
            try {
                Matcher conv = CONV.matcher(e);
                Matcher fc = FC.matcher(e);
                Matcher pool = POOL.matcher(e);
                if (flattened != null && !fc.matches() && !e.equals("flatten")) {
                    throw new UserError(conv.matches()
                            ? "a convolution needs image-shaped input [C, H, W], but flatten made it " + Arrays.toString(flattened)
                            : "after flatten the activity is " + Arrays.toString(flattened) + ": only an fc layer can follow it");
                }
                if (conv.matches() || fc.matches()) {
                    flattened = null;
                    if (open != null) {
                        layers.add(open.finish());
                        shape = layers.get(layers.size() - 1).outputShape();
                    }
                    LinearOp op = conv.matches() ? convolution(conv, shape) : dense(fc, shape);
                    Initializer init = ntk ? Initializer.NORMAL : initializer;
                    var w = rng == null ? null : init.sample(op.weightShape(), op.fanIn(), op.fanOut(), dataType, rng);
                    var b = bias && rng != null ? Nd4j.zeros(dataType, op.biasShape()) : null;
                    open = new Open(op, init, w, b);
                } else if (open == null) {
                    throw new UserError("the first element must be a conv or fc layer");
                } else if (e.equals("bn")) {
                    if (open.activation != null || !open.post.isEmpty() || open.norm != null) {
                        throw new UserError("bn must come right after its conv or fc element, before the nonlinearity");
                    }
                    open.norm = new BatchNormNoAffine();
                } else if (isActivation(e)) {
                    if (!open.post.isEmpty()) {
                        throw new UserError("put the nonlinearity before the pooling (" + open.post.get(open.post.size() - 1).id() + ")");
                    }
                    if (open.activation != null) throw new UserError("the layer already has a nonlinearity ('" + open.activationName + "')");
                    open.activationName = e;
                    open.activation = e.equals("act") ? hiddenActivation : Activation.parse(e);
                    if (!open.activation.isElementwise()) throw new UserError("hidden layers need an elementwise nonlinearity (relu, tanh, sigmoid, linear); the readout's is output_activation, not a layers element");
                } else if (pool.matches() || e.equals("gap")) {
                    PostOp p = e.equals("gap") ? new GlobalAvgPool() : pooling(pool);
                    long[] before = open.outputShape();
                    p.outputShape(before);   // checks that it fits
                    open.post.add(p);
                } else if (e.equals("flatten")) {
                    long n = 1;
                    for (long d : open.outputShape()) n *= d;
                    flattened = new long[] {n};
                } else {
                    throw new UserError("unknown element (expected conv<C>k<K>[s<S>][p<P>|same|valid], fc<N>, bn, "
                            + "relu, tanh, sigmoid, linear, act, maxpool<K>[s<S>], avgpool<K>[s<S>], gap or flatten)");
                }
            } catch (UserError u) {
                throw new UserError(where + ": " + u.getMessage());
            }
        }
        if (open == null) throw new UserError("layers '" + text + "' has no conv or fc layer");
        if (!(open.op instanceof Dense) || open.activation != null || open.norm != null || !open.post.isEmpty()) {
            throw new UserError("layers must end with the readout fc" + classes + " (nothing after it: its nonlinearity is "
                    + "output_activation), got '" + elements.get(elements.size() - 1) + "'");
        }
        if (open.op.outputShape()[0] != classes) {
            throw new UserError("layers element " + elements.size() + " '" + elements.get(elements.size() - 1)
                    + "': the readout has " + open.op.outputShape()[0] + " units but the dataset has " + classes
                    + " classes (end with fc" + classes + ")");
        }
        open.activation = outputActivation;
        layers.add(open.finish());
        return layers;
    }

    private static boolean isActivation(String e) {
        return switch (e) {
            case "relu", "tanh", "sigmoid", "linear", "act", "softmax" -> true;
            default -> false;
        };
    }

    private static Pool2d pooling(Matcher m) {
        int kernel = (int) number(m.group(2), MAX_KERNEL);
        int stride = m.group(3) == null ? kernel : (int) number(m.group(3), MAX_KERNEL);
        return new Pool2d(m.group(1).equals("max") ? Pool2d.Kind.MAX : Pool2d.Kind.AVG, kernel, stride);
    }

    private Conv2d convolution(Matcher m, long[] in) {
        if (in.length != 3) {
            throw new UserError("a convolution needs image-shaped input [C, H, W], but its input is " + Arrays.toString(in)
                    + " (after an fc layer or gap)");
        }
        long channels = number(m.group(1), MAX_UNITS);
        int kernel = (int) number(m.group(2), MAX_KERNEL);
        int stride = m.group(3) == null ? 1 : (int) number(m.group(3), MAX_KERNEL);
        Conv2d.Padding padding = m.group(4) != null ? Conv2d.Padding.EXPLICIT
                : m.group(5) != null ? Conv2d.Padding.SAME : Conv2d.Padding.VALID;
        int pad = m.group(4) == null ? 0 : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(m.group(4)));
        if (pad > MAX_KERNEL) throw new UserError("padding " + pad + " is larger than " + MAX_KERNEL);
        double scale = ntk ? 1.0 / Math.sqrt((double) in[0] * kernel * kernel) : 1.0;
        return new Conv2d(in, channels, kernel, stride, padding, pad, scale);
    }

    private Dense dense(Matcher m, long[] in) {
        long n = 1;
        for (long d : in) n *= d;
        long out = number(m.group(1), MAX_UNITS);
        return new Dense(n, out, ntk ? 1.0 / Math.sqrt(n) : 1.0);
    }

    private static long number(String digits, long max) {
        long v;
        try {
            v = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            v = Long.MAX_VALUE;
        }
        if (v <= 0 || v > max) throw new UserError("the number " + digits + " must be between 1 and " + max);
        return v;
    }

    /** The layer being assembled from its elements. */
    private static final class Open {
        final LinearOp op;
        final Initializer init;
        final org.nd4j.linalg.api.ndarray.INDArray w;
        final org.nd4j.linalg.api.ndarray.INDArray b;
        Normalization norm;
        Activation activation;
        String activationName;
        final List<PostOp> post = new ArrayList<>();

        Open(LinearOp op, Initializer init, org.nd4j.linalg.api.ndarray.INDArray w, org.nd4j.linalg.api.ndarray.INDArray b) {
            this.op = op;
            this.init = init;
            this.w = w;
            this.b = b;
        }

        long[] outputShape() {
            return Layer.shapeAfter(op, post);
        }

        Layer finish() {
            return new Layer(op, norm, activation == null ? Activation.LINEAR : activation, init, post, w, b);
        }
    }

    /** The spec that reproduces {@code net} (presets rendered with their numbers, e.g. for run descriptions). */
    public static String render(Network net) {
        List<String> parts = new ArrayList<>();
        boolean ntk = false;
        for (int l = 0; l < net.depth(); l++) {
            Layer layer = net.layer(l);
            if (layer.op() instanceof Conv2d c) {
                long[] w = c.weightShape();
                parts.add("conv" + w[0] + "k" + c.kernel() + (c.stride() == 1 ? "" : "s" + c.stride())
                        + (c.padding() == Conv2d.Padding.VALID ? "" : c.describePadding()));
                ntk |= c.scale() != 1.0;
            } else {
                parts.add("fc" + layer.op().outputShape()[0]);
                ntk |= layer.op() instanceof Dense d && d.scale() != 1.0;
            }
            if (layer.norm() != null) parts.add("bn");
            if (l < net.depth() - 1) parts.add(layer.activation().id());
            for (PostOp p : layer.post()) parts.add(p.id());
        }
        return (ntk ? NTK_PREFIX : "") + String.join(",", parts);
    }
}
