package org.creditlab.experiment;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.creditlab.UserError;
import org.creditlab.data.DatasetInfo;
import org.creditlab.data.Datasets;
import org.creditlab.data.Preprocessing;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Losses;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.optim.Optimizers;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleRegistry;

/**
 * Value lists that belong to the code, not to a config key: a new network kind, dataset or activation shows up
 * in the checks, {@code --help} and the README's key table without touching {@link RunConfig}. Each has the
 * names to list and the code's own parser, which also accepts aliases (e.g. "xent" for ce).
 */
public enum Choices {
    NONE(List::of, v -> { }),
    RULE(() -> RuleRegistry.all().stream().map(RuleInfo::name).toList(), RuleRegistry::get),
    DATASET(() -> Datasets.all().stream().map(DatasetInfo::name).toList(), Datasets::info),
    NETWORK(() -> java.util.stream.Stream.concat(NetworkSpec.KINDS.stream(), java.util.stream.Stream.of(NetworkSpec.CUSTOM)).toList(), v -> {
        if (!NetworkSpec.KINDS.contains(v) && !NetworkSpec.CUSTOM.equals(v)) throw new UserError("unknown network");
    }),
    /** Hidden layers: elementwise activations only (softmax couples units and has no per-unit derivative). */
    HIDDEN_ACTIVATION(() -> activations(true), v -> {
        if (!Activation.parse(v).isElementwise()) throw new UserError("not elementwise");
    }),
    ACTIVATION(() -> activations(false), Activation::parse),
    LOSS(() -> Losses.NAMES, Losses::byName),
    INIT(() -> java.util.Arrays.stream(Initializer.values()).map(Initializer::id).toList(), Initializer::parse),
    OPTIMIZER(() -> Optimizers.NAMES, v -> {
        if (!Optimizers.NAMES.contains(v.trim().toLowerCase())) throw new UserError("unknown optimizer");
    }),
    SCALING(() -> Preprocessing.MODES, v -> {
        if (!Preprocessing.MODES.contains(v)) throw new UserError("unknown scaling");
    });

    private final Supplier<List<String>> names;
    private final Consumer<String> parser;

    Choices(Supplier<List<String>> names, Consumer<String> parser) {
        this.names = names;
        this.parser = parser;
    }

    public List<String> names() { return names.get(); }

    public boolean accepts(String value) {
        try {
            parser.accept(value);
            return true;
        } catch (UserError e) {
            return false;
        }
    }

    private static List<String> activations(boolean elementwiseOnly) {
        return java.util.Arrays.stream(Activation.values()).filter(a -> !elementwiseOnly || a.isElementwise())
                .map(Activation::id).toList();
    }
}
