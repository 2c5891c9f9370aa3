package org.creditlab.cli;

import java.util.Locale;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleRegistry;
import picocli.CommandLine.Command;

/** {@code credit rules}: what can be passed to --rule. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "List the learning rules.")
public final class RulesCommand implements Runnable {
    @Override public void run() {
        for (RuleInfo r : RuleRegistry.all()) {
            String names = r.name() + (r.aliases().isEmpty() ? "" : " (" + String.join(", ", r.aliases()) + ")");
            System.out.printf(Locale.ROOT, "%-22s %s  [%s]%n", names, r.summary(), r.reference());
        }
    }
}
