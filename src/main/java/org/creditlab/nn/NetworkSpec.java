package org.creditlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.creditlab.UserError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.rng.Random;

/**
 * Everything needed to build a network by name.
 *
 * @param kind             "fc" (nonlinear hidden layers) or "linfc" (linear hidden layers)
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

    public static final List<String> KINDS = List.of("fc", "linfc");

    public Network build(Random rng) {
        boolean linear = switch (kind) {
            case "fc" -> false;
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
            Dense op = new Dense(in, out, 1.0);
            var w = initializer.sample(op.weightShape(), op.fanIn(), op.fanOut(), dataType, rng);
            var b = bias ? org.nd4j.linalg.factory.Nd4j.zeros(dataType, op.biasShape()) : null;
            layers.add(new Layer(op, null, act, initializer, w, b));
            in = out;
        }
        return new Network(layers, loss);
    }
}
