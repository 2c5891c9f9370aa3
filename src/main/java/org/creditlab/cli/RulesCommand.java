package org.creditlab.cli;

import java.util.List;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleOptions;
import org.creditlab.rules.RuleRegistry;
import picocli.CommandLine.Command;

/** {@code credit rules}: what can be passed to --rule, with each rule's options. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "List the learning rules, their paper and the options they take (--set NAME=VALUE).")
public final class RulesCommand implements Runnable {
    @Override public void run() {
        for (RuleInfo r : RuleRegistry.all()) {
            System.out.printf("%-12s %s%n", r.name(), r.summary());
            String indent = " ".repeat(13);
            System.out.println(indent + r.reference());
            if (!r.aliases().isEmpty()) System.out.println(indent + "aliases: " + String.join(", ", r.aliases()));
            // Building the rule with no options records every option it reads: that is its option list.
            RuleOptions probe = RuleOptions.none(r.name());
            r.factory().apply(probe);
            List<String> options = probe.keysRead();
            if (!options.isEmpty()) System.out.println(indent + "options: " + String.join(", ", options));
        }
    }
}
