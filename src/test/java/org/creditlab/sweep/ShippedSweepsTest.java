package org.creditlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleRegistry;
import org.junit.jupiter.api.Test;

/** The sweep files in configs/sweeps expand, and fmnist-rules has what its "about" promises. */
class ShippedSweepsTest {
    @Test void everyShippedSweepExpands() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("configs", "sweeps"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) assertFalse(Expansion.expand(SweepFileReader.read(f)).isEmpty(), f.toString());
    }

    @Test void fmnistRulesIsEveryFullyConnectedRuleAtThreeLrsAndThreeSeeds() {
        List<Cell> cells = Expansion.expand(SweepFileReader.read(Path.of("configs", "sweeps", "fmnist-rules.json")));
        Set<String> rules = cells.stream().map(c -> c.values().get("rule").asText()).collect(Collectors.toSet());
        // every registered rule trains fully connected networks
        assertEquals(RuleRegistry.all().stream().map(RuleInfo::name).collect(Collectors.toSet()), rules);
        assertEquals(rules.size() * 3 * 3, cells.size());
        for (Cell c : cells) {
            assertEquals("fmnist", c.config().get("dataset").asText());
            assertTrue(c.config().get("validation").asInt() > 0, "a validation split chooses the lr");
            assertTrue(c.config().get("network").asText().startsWith("fc"), c.name());
        }
    }
}
