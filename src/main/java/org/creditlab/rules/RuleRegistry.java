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
        register(new RuleInfo("np", List.of("node-perturbation", "nodepert"), "node perturbation: Gaussian noise on every pre-activation, update (δL/σ²) ξ ⊗ h", "Williams 1992; Hiratani, Mehta, Lillicrap & Latham, NeurIPS 2022", NodePerturbation::new,
                // nodepert's defaults (utils.parse_args, configs/np-mnist.json): sigmoid output, MSE, standardised inputs
                Map.of("lr", 0.01, "output_activation", "sigmoid", "loss", "mse", "scaling", "standardize")));
        register(new RuleInfo("wp", List.of("weight-perturbation"), "weight perturbation: Gaussian noise on all parameters, update (δL/σ²) Ψ", "Jabri & Flower 1992; Mehta & Lillicrap (nodepert study)", WeightPerturbation::new,
                // np's settings, so that wp is its control out of the box, at a smaller lr: its estimate's variance
                // grows with the parameter count. Fashion-MNIST, nodepert's network, 10 epochs, test accuracy by lr:
                // 0.001 63.92, 0.002 70.59, 0.003 72.25, 0.004 72.50, 0.006 59.23 (peaked at 66.38), 0.01 38.12.
                Map.of("lr", 0.003, "output_activation", "sigmoid", "loss", "mse", "scaling", "standardize")));
        register(new RuleInfo("pepita", List.of(), "PEPITA: second forward pass on x + Fe, updates (h − h_mod) ⊗ h_mod_prev", "Dellaferrera & Kreiman, ICML 2022; Srinivasan et al. 2023", Pepita::new, Map.of("bias", false, "init", "he-uniform", "optimizer", "momentum", "momentum", 0.9, "lr_milestones", List.of(60, 90), "lr_gamma", 0.1, "batch_size", 64, "hidden", List.of(1024), "loss", "ce", "output_activation", "softmax")));
        register(new RuleInfo("sdd", List.of("segregated-dendrites", "guerguiev"), "segregated dendrites: apical plateau potentials (target − forward phase) drive local updates; options mode = nonspiking|spiking, feedback = random|sparse|symmetric|learned, etas (0.21 per layer, × run lr)", "Guerguiev, Lillicrap & Richards 2017, eLife 6:e22901", Sdd::new, Map.ofEntries(Map.entry("activation", "sigmoid"), Map.entry("output_activation", "sigmoid"), Map.entry("loss", "mse"), Map.entry("hidden", List.of(500)), Map.entry("batch_size", 1), Map.entry("optimizer", "sgd"), Map.entry("lr", 1.0), Map.entry("scaling", "unit"))));
        // Feedback alignment family, Kunin's alignment losses, Boopathy & Fiete's Align rules (branch fa).
        register(new RuleInfo("fa", List.of("feedback-alignment"), "feedback alignment: fixed random feedback B_l drawn like W_l",
                "Lillicrap et al. 2016, Nat. Commun. 7:13276", o -> FeedbackAlignment.fa(), Map.of()));
        register(new RuleInfo("dfa", List.of("direct-feedback-alignment"), "direct feedback alignment: output error sent to every hidden layer through fixed random B_l [n_l, C]",
                "Nøkland 2016, NeurIPS", o -> FeedbackAlignment.dfa(), Map.of()));
        register(new RuleInfo("usf", List.of("sign-symmetry"), "uniform sign-concordant feedback: B = s·sign(W), s the init std",
                "Liao, Leibo & Poggio 2016; Moskovitz et al. 2018; biotorch", o -> FeedbackAlignment.usf(), Map.of()));
        register(new RuleInfo("frsf", List.of(), "fixed random-magnitude sign-concordant feedback: B = |R|⊙sign(W), R fixed",
                "Moskovitz et al. 2018; biotorch", o -> FeedbackAlignment.frsf(), Map.of()));
        register(new RuleInfo("brsf", List.of(), "batchwise random-magnitude sign-concordant feedback: B = |R|⊙sign(W), R redrawn every step",
                "Moskovitz et al. 2018; biotorch", o -> FeedbackAlignment.brsf(), Map.of()));
        register(new RuleInfo("kp", List.of("kolen-pollack"), "Kolen-Pollack: B gets W's gradient plus decay (options b_lr = run lr, decay = 1e-3)",
                "Kolen & Pollack 1994; Akrout et al. 2019, NeurIPS", FeedbackAlignment::kolenPollack, Map.of()));
        register(new RuleInfo("sa", List.of("symmetric-alignment"), "symmetric alignment: B trained on alpha(|W|^2+|B|^2) + beta(-tr WB) (alpha 1e-3, beta 2e-3, b_lr 10)",
                "Kunin et al. 2020, ICML", o -> AlignmentLosses.fromOptions(AlignmentLosses.Kind.SA, o), Map.of()));
        register(new RuleInfo("ia", List.of("information-alignment"), "information alignment: B trained on alpha amp + beta null + gamma decay (2e-3, 1e-3, 1e-3; b_lr = run lr)",
                "Kunin et al. 2020, ICML", o -> AlignmentLosses.fromOptions(AlignmentLosses.Kind.IA, o), Map.of()));
        register(new RuleInfo("wm", List.of("weight-mirror"), "weight mirror: B trained on alpha decay + beta amp (1e-3, 1e-3; input noise|activity, noise_std 1; b_lr 10)",
                "Akrout et al. 2019, NeurIPS; Kunin et al. 2020, ICML", o -> AlignmentLosses.fromOptions(AlignmentLosses.Kind.WM, o), Map.of()));
        register(new RuleInfo("aa", List.of("activation-alignment"), "activation alignment: B trained on alpha sparse + beta amp (1e-3, 2e-3; b_lr = run lr)",
                "Kunin et al. 2020, ICML", o -> AlignmentLosses.fromOptions(AlignmentLosses.Kind.AA, o), Map.of()));
        register(new RuleInfo("align-zero", List.of("alignzero"), "Align-zero: the current error back-propagated through the frozen initial network",
                "Boopathy & Fiete 2022, ICML", o -> Align.zero(), Align.CONFIG_DEFAULTS));
        register(new RuleInfo("align-ada", List.of("alignada"), "Align-ada: frozen initial network's backward signal, current network's activity (option phi_last = current|initial)",
                "Boopathy & Fiete 2022, ICML", Align::ada, Align.CONFIG_DEFAULTS));
        register(new RuleInfo("align-prop", List.of("alignprop"), "Align-prop: feedback alignment with B = the initial forward weights",
                "Boopathy & Fiete 2022, ICML", o -> Align.prop(), Align.CONFIG_DEFAULTS));
    }

    /** Each rule's declared options (rules without an entry take none). */
    private static final Map<String, List<RuleOption>> OPTIONS = new LinkedHashMap<>();

    // Each rule's options (name, type, default, range, doc), declared next to the code that reads them:
    // RuleOptions checks what a user gives against them and 'credit rules RULE' prints them.
    static {
        options("np", NodePerturbation.OPTIONS);
        options("wp", WeightPerturbation.OPTIONS);
        options("pepita", Pepita.OPTIONS);
        options("sdd", Sdd.OPTIONS);
        options("kp", FeedbackAlignment.KP_OPTIONS);
        options("sa", AlignmentLosses.options(AlignmentLosses.Kind.SA));
        options("ia", AlignmentLosses.options(AlignmentLosses.Kind.IA));
        options("wm", AlignmentLosses.options(AlignmentLosses.Kind.WM));
        options("aa", AlignmentLosses.options(AlignmentLosses.Kind.AA));
        options("align-ada", Align.ADA_OPTIONS);
    }

    private RuleRegistry() { }

    private static void options(String rule, List<RuleOption> options) {
        if (!BY_NAME.containsKey(rule)) throw new IllegalStateException("options for unregistered rule " + rule);
        OPTIONS.put(BY_NAME.get(rule).name(), List.copyOf(options));
    }

    /** The options a rule declares (empty when it takes none). */
    static List<RuleOption> optionsOf(String name) {
        return OPTIONS.getOrDefault(name, List.of());
    }

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
