package org.creditlab.nn;

import org.creditlab.UserError;

/** Losses by name. */
public final class Losses {
    private Losses() { }

    /** The loss names (byName also accepts cross-entropy and xent for ce). */
    public static final java.util.List<String> NAMES = java.util.List.of("ce", "mse");

    public static Loss byName(String name) {
        return switch (name.trim().toLowerCase()) {
            case "mse" -> new MeanSquaredError();
            case "ce", "cross-entropy", "xent" -> new SoftmaxCrossEntropy();
            default -> throw new UserError("unknown loss '" + name + "' (expected mse or ce)");
        };
    }
}
