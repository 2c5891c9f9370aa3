package org.creditlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.creditlab.UserError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.rng.Random;

/**
 * Everything needed to build a network by name.
 *
 * @param kind             "fc" (nonlinear hidden layers), "linfc" (linear hidden layers) or "fc-ntk"
 *                         (Boopathy &amp; Fiete's parameterisation: W ~ N(0,1) whatever {@code initializer}
 *                         says, z = h W/√n_in + b, batch norm without affine on batch statistics between
 *                         the linear op and φ of every hidden layer, none on the readout)
 * @param inputShape       one example's shape, e.g. [1, 28, 28]
 * @param hidden           hidden layer widths, e.g. [500, 500]
 * @param classes          output width
 * @param hiddenActivation φ of hidden layers (ignored by linfc, which uses linear)
 * @param outputActivation φ of the output layer
 * @param initializer      weight initialiser; biases start at zero
 * @param bias             whether layers have biases (PEPITA has none)
 * @param loss             the training loss
 * @param dataType         parameter dtype
 */
public record NetworkSpec(String kind, long[] inputShape, List<Integer> hidden, int classes,
                          Activation hiddenActivation, Activation outputActivation, Initializer initializer,
                          boolean bias, Loss loss, DataType dataType) {

    public static final List<String> KINDS = List.of("fc", "linfc", "fc-ntk");

    public Network build(Random rng) {
        boolean ntk = kind.equals("fc-ntk");
        boolean linear = switch (kind) {
            case "fc", "fc-ntk" -> false;
            case "linfc" -> true;
            default -> throw new UserError("unknown network '" + kind + "' (expected one of " + KINDS + ")");
        };
        long in = 1;
        for (long d : inputShape) in *= d;
        List<Layer> layers = new ArrayList<>();
        List<Integer> widths = new ArrayList<>(hidden);
        widths.add(classes);
        for (int l = 0; l < widths.size(); l++) {
            long out = widths.get(l);
            if (out <= 0) throw new UserError("layer widths must be positive, got " + out);
            boolean isOutput = l == widths.size() - 1;
            Activation act = isOutput ? outputActivation : (linear ? Activation.LINEAR : hiddenActivation);
            Dense op = new Dense(in, out, ntk ? 1.0 / Math.sqrt(in) : 1.0);
            Initializer init = ntk ? Initializer.NORMAL : initializer;
            var w = init.sample(op.weightShape(), op.fanIn(), op.fanOut(), dataType, rng);
            var b = bias ? org.nd4j.linalg.factory.Nd4j.zeros(dataType, op.biasShape()) : null;
            Normalization norm = ntk && !isOutput ? new BatchNormNoAffine() : null;
            layers.add(new Layer(op, norm, act, init, w, b));
            in = out;
        }
        return new Network(layers, loss);
    }
}
