package org.creditlab.rules;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A registry entry.
 *
 * @param name           the name used on the command line
 * @param aliases        other accepted names
 * @param summary        one line for {@code credit rules}
 * @param reference      the paper
 * @param factory        builds the rule from its options (reading every option it understands)
 * @param configDefaults run-config values this rule needs unless the user sets them (e.g. no biases for
 *                       PEPITA); keys are RunConfig JSON names
 * @param convDefaults   values that replace some of those on a network with convolutions (a learning rate
 *                       measured on LeNet, where the fc one does not learn); applied over configDefaults,
 *                       under anything the user sets
 */
public record RuleInfo(String name, List<String> aliases, String summary, String reference,
                       Function<RuleOptions, LearningRule> factory, Map<String, Object> configDefaults,
                       Map<String, Object> convDefaults) {

    public RuleInfo(String name, List<String> aliases, String summary, String reference,
                    Function<RuleOptions, LearningRule> factory, Map<String, Object> configDefaults) {
        this(name, aliases, summary, reference, factory, configDefaults, Map.of());
    }

    /** This rule with {@code values} as its defaults on conv networks. */
    public RuleInfo onConv(Map<String, Object> values) {
        return new RuleInfo(name, aliases, summary, reference, factory, configDefaults, Map.copyOf(values));
    }

    /** The options this rule takes, as its class declares them (see {@link RuleOption}). */
    public List<RuleOption> options() { return RuleRegistry.optionsOf(name); }

    public LearningRule create(RuleOptions options) {
        LearningRule rule = factory.apply(options);
        options.requireAllUsed();
        return rule;
    }
}
