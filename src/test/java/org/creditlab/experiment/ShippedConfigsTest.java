package org.creditlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The configs the README points to pass every check of their keys and rule options. */
class ShippedConfigsTest {
    @Test void everyShippedConfigResolves() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("configs"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            RunConfig c = ConfigResolver.resolve(f, new ConfigResolver.Overrides());
            assertEquals(ConfigResolver.JSON.readTree(f.toFile()).get("rule").asText(), c.rule, f.toString());
        }
    }
}
