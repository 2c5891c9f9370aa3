package org.creditlab.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.UserError;

/** Every learning rule credit knows, by name. A new rule is one class plus one line here. */
public final class RuleRegistry {
    private static final Map<String, RuleInfo> BY_NAME = new LinkedHashMap<>();
    private static final List<RuleInfo> ALL = new ArrayList<>();

    static {
        register(new RuleInfo("bp", List.of("sgd", "backprop"),
                "backpropagation: the exact gradient (the baseline)",
                "Rumelhart, Hinton & Williams 1986", o -> new Backprop(), Map.of()));
        register(new RuleInfo("np", List.of("node-perturbation", "nodepert"), "node perturbation: Gaussian noise on every pre-activation, update (δL/σ²) ξ ⊗ h", "Williams 1992; Hiratani, Mehta, Lillicrap & Latham, NeurIPS 2022", NodePerturbation::new, Map.of("lr", 0.01)));
        register(new RuleInfo("wp", List.of("weight-perturbation"), "weight perturbation: Gaussian noise on all parameters, update (δL/σ²) Ψ", "Jabri & Flower 1992; Mehta & Lillicrap (nodepert study)", WeightPerturbation::new, Map.of()));
        register(new RuleInfo("pepita", List.of(), "PEPITA: second forward pass on x + Fe, updates (h − h_mod) ⊗ h_mod_prev", "Dellaferrera & Kreiman, ICML 2022; Srinivasan et al. 2023", Pepita::new, Map.of("bias", false, "init", "he-uniform", "optimizer", "momentum", "momentum", 0.9, "lr_milestones", List.of(60, 90), "lr_gamma", 0.1, "batch_size", 64, "hidden", List.of(1024), "loss", "ce", "output_activation", "softmax")));
    }

    private RuleRegistry() { }

    private static void register(RuleInfo info) {
        ALL.add(info);
        BY_NAME.put(info.name(), info);
        for (String alias : info.aliases()) BY_NAME.put(alias, info);
    }

    public static List<RuleInfo> all() { return List.copyOf(ALL); }

    public static RuleInfo get(String name) {
        RuleInfo info = BY_NAME.get(name == null ? "" : name.trim().toLowerCase());
        if (info == null) {
            throw new UserError("unknown rule '" + name + "' (known: "
                    + String.join(", ", ALL.stream().map(RuleInfo::name).toList()) + "; see 'credit rules')");
        }
        return info;
    }
}
