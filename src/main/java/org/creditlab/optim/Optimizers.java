package org.creditlab.optim;

import org.creditlab.UserError;

/** Optimizers by name, with decoupled weight decay when wd > 0. */
public final class Optimizers {
    private Optimizers() { }

    public static final java.util.List<String> NAMES = java.util.List.of("sgd", "momentum", "adam");

    public static Optimizer create(String name, double momentum, double beta1, double beta2, double eps,
                                   double weightDecay) {
        Optimizer base = switch (name.trim().toLowerCase()) {
            case "sgd" -> new Sgd();
            case "momentum" -> new Momentum(momentum);
            case "adam" -> new Adam(beta1, beta2, eps);
            default -> throw new UserError("unknown optimizer '" + name + "' (expected sgd, momentum or adam)");
        };
        if (weightDecay < 0) throw new UserError("weight decay must be >= 0, got " + weightDecay);
        return weightDecay > 0 ? new DecoupledWeightDecay(base, weightDecay) : base;
    }
}
