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
                // nodepert's settings (utils.parse_args, configs/np-mnist.json): sigmoid output, MSE, standardised inputs,
                // at lr 0.02 rather than nodepert's 0.01. Fashion-MNIST, fc 500,500, 5 epochs, seed 1, test accuracy by lr:
                // 0.01 75.77, 0.02 77.21 (seeds 2, 3: 76.76, 76.21), 0.03 73.94, 0.05 62.26; bp itself reaches 75.98 at
                // 0.01 in these settings. Softmax + cross-entropy diverges within 100 steps at 0.01, 0.03 and 0.1 (its
                // error at the logits is ~20x MSE-through-sigmoid's, and so is the estimate's noise).
                // On conv nets (nodepert's σ 1e-5 there) lr 0.01: LeNet 66.63 % where bp in these settings has 64.97 %.
                Map.of("lr", 0.02, "output_activation", "sigmoid", "loss", "mse", "scaling", "standardize"))
                .onConv(Map.of("lr", 0.01)));
        register(new RuleInfo("wp", List.of("weight-perturbation"), "weight perturbation: Gaussian noise on all parameters, update (δL/σ²) Ψ", "Jabri & Flower 1992; Mehta & Lillicrap (nodepert study)", WeightPerturbation::new,
                // np's settings, so that wp is its control out of the box, at a smaller lr: its estimate's variance
                // grows with the parameter count. Fashion-MNIST, nodepert's network, 10 epochs, test accuracy by lr:
                // 0.001 63.92, 0.002 70.59, 0.003 72.25, 0.004 72.50, 0.006 59.23 (peaked at 66.38), 0.01 38.12.
                Map.of("lr", 0.003, "output_activation", "sigmoid", "loss", "mse", "scaling", "standardize")));
        // The paper's FC setting at lr 0.03. Its MNIST lr 0.1 (configs/pepita-mnist.json) is unstable on Fashion-MNIST:
        // 5 epochs, seed 1, test accuracy by epoch at lr 0.1: 80.31, 62.10, 81.56, 72.51, 80.44 with the train loss rising
        // 1.1 -> 13; at 0.03: 83.44, 84.08, 84.64, 84.02, 85.48 (train loss 0.60 -> 0.44); at 0.01 (the reference
        // tutorial's CIFAR-10 lr): 82.03, 83.17, 84.03, 83.05, 84.13.
        register(new RuleInfo("pepita", List.of(), "PEPITA: second forward pass on x + Fe, updates (h − h_mod) ⊗ h_mod_prev (lr 0.03; 0.01 on conv nets)", "Dellaferrera & Kreiman, ICML 2022; Srinivasan et al. 2023", Pepita::new, Map.ofEntries(Map.entry("bias", false), Map.entry("init", "he-uniform"), Map.entry("optimizer", "momentum"), Map.entry("momentum", 0.9), Map.entry("lr", 0.03), Map.entry("lr_milestones", List.of(60, 90)), Map.entry("lr_gamma", 0.1), Map.entry("batch_size", 64), Map.entry("hidden", List.of(1024)), Map.entry("loss", "ce"), Map.entry("output_activation", "softmax")))
                // On conv nets the paper's conv lr (Net1conv1fcXL, η 0.01): pepita-conv on the MNIST sample, 5 epochs,
                // 92.65 % (bp 92.80); at 0.001 90.65 %. PEPITA's paper has one conv layer: on LeNet it diverges at
                // every lr tried (0.01 at step 104; 0.003, 0.001 at step 846; 0.0003 does not within 2 epochs but its
                // train loss rises above ln 10), with he or Xavier init, dropout or none, weight decay 1e-4, sign minus
                // or activation_norm: its conv-layer updates are ~1e-4 of the gradient's norm (the modulation, averaged
                // over positions, is tiny), so the conv layers stay random and the fc layers above them run away.
                // experiments/results/pepita-lenet.md: the divergence comes at a fixed lr x steps (~0.9, ~1/f_scale); freezing
                // the conv layers does not stop it, freezing fc120 and fc84 does; the fc activity grows while the weight norms
                // stay put; mirroring F (now on conv nets) gives the anti-alignment but not stability. No setting with
                // non-negligible hidden updates beat the readout alone (f_scale 1e-6: 61.37 % in 5 epochs), so lr stays 0.01.
                .onConv(Map.of("lr", 0.01)));
        register(new RuleInfo("sdd", List.of("segregated-dendrites", "guerguiev"), "segregated dendrites: apical plateau potentials (target − forward phase) drive local updates; options mode = nonspiking|spiking, feedback = random|sparse|symmetric|learned, etas (0.21 per layer, × run lr)", "Guerguiev, Lillicrap & Richards 2017, eLife 6:e22901", Sdd::new, Map.ofEntries(Map.entry("activation", "sigmoid"), Map.entry("output_activation", "sigmoid"), Map.entry("loss", "mse"), Map.entry("hidden", List.of(500)), Map.entry("batch_size", 1), Map.entry("optimizer", "sgd"), Map.entry("lr", 1.0), Map.entry("scaling", "unit"))));
        // Feedback alignment family, Kunin's alignment losses, Boopathy & Fiete's Align rules (branch fa).
        // The fixed-feedback and Kunin rules whose B is not W's sign or W's own update (fa, dfa, sa, ia, wm, aa) take
        // lr 0.03 instead of bp's 0.1. At 0.1 they go through an unstable phase: while B and W are still unaligned the
        // hidden updates are at 90-120° to the gradient, the output layer does the learning alone and its weights
        // grow (fa: 4x B's norm after two epochs, dfa: 12x), with epoch train losses of 3 to 150 (sa collapses to
        // 20.75 %, ia and aa diverge). Sweep, Fashion-MNIST, fc 500,500, 5 epochs, seed 1, final test accuracy (%) by lr
        // 0.02 / 0.03 / 0.05 / 0.1 (the 0.1 column is issue 12's run; bp at 0.1: 86.90); 0.05 already oscillates
        // (accuracy dips of 5-10 points, rising train loss for dfa and aa):
        //   fa  82.52 / 83.22 / 83.04 / 79.8 (test loss 14)
        //   dfa 82.71 / 83.42 / 79.77 / 79.6 (test loss 182)
        //   sa  84.47 / 84.87 / 82.91 / 20.75 (collapsed)
        //   ia  82.37 / 82.96 / 83.59 (dips to 69.62) / diverged in epoch 3
        //   wm  83.32 / 84.12 / 84.34 (dips to 73.38) / 80.9 (test loss 1.7)
        //   aa  82.62 / 83.36 / 66.95 (train loss 7.4) / diverged in epoch 1
        // sa fails at 0.1 with any B learning rate, even one that copies W every step (b_lr 500: B is the previous
        // step's W; 70.44 % after epoch 1 where bp has 83.38 %), and at 0.03 a faster B is worse (b_lr 10 / 30 / 100:
        // 84.87 / 84.87 / 81.73 %), so its B keeps b_lr 10.
        // On conv nets the fc rates are too fast for most of these rules (issue 10): LeNet-5 on Fashion-MNIST, 5
        // epochs, seed 1, final test accuracy (%) by lr 0.003 / 0.01 / 0.03 (0.1 for kp), where bp reaches 88.02 at
        // its 0.1; "div." = the loss passed loss_ceiling, "coll." = collapsed to one class (dead ReLUs):
        //   fa  55.13 / 73.29 / 51.55 (train loss 1.3e7)       dfa 70.49 / div. epoch 2 / 24.30 (0.001: 45.31)
        //   kp  - / 83.09 / 85.54 / coll. 10.00                 sa  75.70 / coll. 10.01 / coll. 10.00
        //   ia  55.13 / 72.82 / -                               wm  58.19 / 74.40 / 24.06 (blew up, B aligned)
        //   aa  55.59 / div. epoch 5 / -
        // so each takes the best of these as its conv default. Below the best the first epochs sit at chance (the
        // Xavier-initialised LeNet starts with tiny hidden signals; He init learns faster but fa then blows up in
        // epoch 4: 67.87, 70.26, 70.80, 18.89 %). ia and aa move their B at the run's lr, so at 0.003 ia is fa.
        register(new RuleInfo("fa", List.of("feedback-alignment"), "feedback alignment: fixed random feedback B_l drawn like W_l (lr 0.03; 0.01 on conv nets)",
                "Lillicrap et al. 2016, Nat. Commun. 7:13276", o -> FeedbackAlignment.fa(), Map.of("lr", 0.03)).onConv(Map.of("lr", 0.01)));
        register(new RuleInfo("dfa", List.of("direct-feedback-alignment"), "direct feedback alignment: output error sent to every hidden layer through fixed random B_l [n_l, C] (lr 0.03; 0.003 on conv nets)",
                "Nøkland 2016, NeurIPS", o -> FeedbackAlignment.dfa(), Map.of("lr", 0.03)).onConv(Map.of("lr", 0.003)));
        register(new RuleInfo("usf", List.of("sign-symmetry"), "uniform sign-concordant feedback: B = s·sign(W), s the init std",
                "Liao, Leibo & Poggio 2016; Moskovitz et al. 2018; biotorch", o -> FeedbackAlignment.usf(), Map.of()));
        register(new RuleInfo("frsf", List.of(), "fixed random-magnitude sign-concordant feedback: B = |R|⊙sign(W), R fixed",
                "Moskovitz et al. 2018; biotorch", o -> FeedbackAlignment.frsf(), Map.of()));
        register(new RuleInfo("brsf", List.of(), "batchwise random-magnitude sign-concordant feedback: B = |R|⊙sign(W), R redrawn every step",
                "Moskovitz et al. 2018; biotorch", o -> FeedbackAlignment.brsf(), Map.of()));
        register(new RuleInfo("kp", List.of("kolen-pollack"), "Kolen-Pollack: B gets W's gradient plus decay (options b_lr = run lr, decay = 1e-3; lr 0.03 on conv nets)",
                "Kolen & Pollack 1994; Akrout et al. 2019, NeurIPS", FeedbackAlignment::kolenPollack, Map.of()).onConv(Map.of("lr", 0.03)));
        register(new RuleInfo("sa", List.of("symmetric-alignment"), "symmetric alignment: B trained on alpha(|W|^2+|B|^2) + beta(-tr WB) (alpha 1e-3, beta 2e-3, b_lr 10; lr 0.03, 0.003 on conv nets)",
                "Kunin et al. 2020, ICML", o -> AlignmentLosses.fromOptions(AlignmentLosses.Kind.SA, o), Map.of("lr", 0.03)).onConv(Map.of("lr", 0.003)));
        register(new RuleInfo("ia", List.of("information-alignment"), "information alignment: B trained on alpha amp + beta null + gamma decay (2e-3, 1e-3, 1e-3; b_lr = run lr; lr 0.03, 0.01 on conv nets)",
                "Kunin et al. 2020, ICML", o -> AlignmentLosses.fromOptions(AlignmentLosses.Kind.IA, o), Map.of("lr", 0.03)).onConv(Map.of("lr", 0.01)));
        register(new RuleInfo("wm", List.of("weight-mirror"), "weight mirror: B trained on alpha decay + beta amp (1e-3, 1e-3; input noise|activity, noise_std 1; b_lr 10; lr 0.03, 0.01 on conv nets)",
                "Akrout et al. 2019, NeurIPS; Kunin et al. 2020, ICML", o -> AlignmentLosses.fromOptions(AlignmentLosses.Kind.WM, o), Map.of("lr", 0.03)).onConv(Map.of("lr", 0.01)));
        register(new RuleInfo("aa", List.of("activation-alignment"), "activation alignment: B trained on alpha sparse + beta amp (1e-3, 2e-3; b_lr = run lr; lr 0.03, 0.003 on conv nets)",
                "Kunin et al. 2020, ICML", o -> AlignmentLosses.fromOptions(AlignmentLosses.Kind.AA, o), Map.of("lr", 0.03)).onConv(Map.of("lr", 0.003)));
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
