package org.creditlab.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleOption;
import org.creditlab.rules.RuleRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code credit rules [RULE]}: what can be passed to --rule, with each rule's options as the rule declares them. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {"List the learning rules with their paper and options; with RULE, that rule's options in full",
                "(type, default, doc; set them with --set NAME=VALUE) and the config defaults it brings."})
public final class RulesCommand implements Runnable {
    @Parameters(paramLabel = "RULE", arity = "0..1", description = "a rule name or alias, e.g. np")
    String rule;

    @Spec CommandSpec spec;

    @Override public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (rule != null) {
            detail(out, RuleRegistry.get(rule));
        } else {
            for (RuleInfo r : RuleRegistry.all()) {
                out.printf("%-12s %s%n", r.name(), r.summary());
                String indent = " ".repeat(13);
                out.println(indent + r.reference());
                if (!r.aliases().isEmpty()) out.println(indent + "aliases: " + String.join(", ", r.aliases()));
                List<String> options = r.options().stream().map(RuleOption::name).toList();
                if (!options.isEmpty()) out.println(indent + "options: " + String.join(", ", options));
            }
            out.println();
            out.println("'credit rules RULE' shows a rule's options with their types, defaults and docs.");
        }
        out.flush();
    }

    /** "k=v, k=v" in key order, a list value as "a,b" (as --set takes it). */
    private static String assignments(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(values).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=')
                .append(v instanceof List<?> l ? String.join(",", l.stream().map(Object::toString).toList()) : v));
        return sb.toString();
    }

    static void detail(PrintWriter out, RuleInfo r) {
        out.println(r.name() + ": " + r.summary());
        out.println("  " + r.reference());
        if (!r.aliases().isEmpty()) out.println("  aliases: " + String.join(", ", r.aliases()));
        if (!r.configDefaults().isEmpty()) out.println("  config defaults (override with flags or --set): " + assignments(r.configDefaults()));
        if (!r.convDefaults().isEmpty()) out.println("  on networks with convolutions instead: " + assignments(r.convDefaults()));
        if (r.options().isEmpty()) {
            out.println("  options: none");
            return;
        }
        out.println("  options (--set NAME=VALUE):");
        int name = 4, type = 4, def = 7;
        for (RuleOption o : r.options()) {
            name = Math.max(name, o.name().length());
            type = Math.max(type, o.typeText().length());
            def = Math.max(def, o.defaultString().length());
        }
        String row = "    %-" + name + "s  %-" + type + "s  %-" + def + "s  %s%n";
        out.printf(row, "name", "type", "default", "meaning");
        for (RuleOption o : r.options()) out.printf(row, o.name(), o.typeText(), o.defaultString(), o.doc());
    }
}
