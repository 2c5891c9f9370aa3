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
