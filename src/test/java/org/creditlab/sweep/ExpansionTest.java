package org.creditlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a sweep file becomes cells: grid product, seeded random samples, seeds, conditional axes, grid unions. */
class ExpansionTest {
    @TempDir Path tmp;

    private List<Cell> cells(String json) {
        return Expansion.expand(SweepFileReader.read(SweepFiles.write(tmp, "s" + System.nanoTime(), json)));
    }

    /** The issue's example, as written: 2 rules x 2 lrs x 4 random samples x 3 seeds = 48 cells. */
    @Test void theIssuesExampleMakes48Cells() {
        List<Cell> c = cells("{'name': 'lr-seeds', 'base': {'dataset': 'mnist', 'hidden': [64], 'epochs': 1},"
                + " 'grid': {'rule': ['bp', 'fa'], 'lr': [0.1, 0.03]},"
                + " 'random': {'samples': 4, 'axes': {'weight_decay': {'log-uniform': [1e-6, 1e-3]}}}, 'seeds': [1, 2, 3]}");
        assertEquals(48, c.size());
        // the first axis varies slowest, the seed fastest: a setting's seeds are neighbours
        assertEquals(List.of("rule", "lr", "weight_decay", "seed"), List.copyOf(c.get(0).values().keySet()));
        assertEquals("bp", c.get(0).values().get("rule").asText());
        assertEquals(List.of(1L, 2L, 3L), c.subList(0, 3).stream().map(x -> x.values().get("seed").asLong()).toList());
        assertEquals(c.get(0).setting(), c.get(2).setting());
        assertNotEquals(c.get(0).setting(), c.get(3).setting());
        assertEquals("fa", c.get(47).values().get("rule").asText());
        assertEquals(0.03, c.get(47).values().get("lr").asDouble());
        // the resolved config holds the cell's values, over the base and the rule's defaults
        Cell fa = c.get(47);
        assertEquals("fa", fa.config().get("rule").asText());
        assertEquals(0.03, fa.config().get("lr").asDouble());
        assertEquals(3, fa.config().get("seed").asLong());
        assertEquals(List.of(64), List.of(fa.config().get("hidden").get(0).asInt()));
        assertEquals(fa.values().get("weight_decay").asDouble(), fa.config().get("weight_decay").asDouble());
        assertEquals(48, new HashSet<>(c.stream().map(Cell::name).toList()).size(), "names are unique");
    }

    @Test void randomSamplesAreSeededInRangeRoundedAndSharedByEveryGridPoint() {
        String f = "{'grid': {'lr': [0.1, 0.03]}, 'random': {'samples': 5, 'seed': %d, 'axes': {"
                + "'weight_decay': {'log-uniform': [1e-6, 1e-3]}, 'momentum': {'uniform': [0.5, 0.9]},"
                + " 'batch_size': {'int': [10, 12]}, 'optimizer': {'choice': ['sgd', 'momentum']}}}}";
        List<Cell> a = cells(String.format(f, 7));
        List<Cell> b = cells(String.format(f, 7));
        List<Cell> other = cells(String.format(f, 8));
        assertEquals(10, a.size());
        assertEquals(a.stream().map(Cell::values).toList(), b.stream().map(Cell::values).toList(), "same seed, same draws");
        assertNotEquals(a.stream().map(Cell::values).toList(), other.stream().map(Cell::values).toList());
        Set<Long> batchSizes = new HashSet<>();
        for (Cell c : a) {
            double wd = c.values().get("weight_decay").asDouble();
            assertTrue(wd >= 1e-6 && wd <= 1e-3, "log-uniform in range: " + wd);
            assertEquals(wd, new java.math.BigDecimal(wd).round(new java.math.MathContext(4)).doubleValue(), "4 significant digits");
            double m = c.values().get("momentum").asDouble();
            assertTrue(m >= 0.5 && m <= 0.9, "uniform in range: " + m);
            long bs = c.values().get("batch_size").asLong();
            assertTrue(bs >= 10 && bs <= 12, "int in range, both ends included: " + bs);
            batchSizes.add(bs);
            assertTrue(List.of("sgd", "momentum").contains(c.values().get("optimizer").asText()));
        }
        // lr 0.1 and lr 0.03 are tried on the same five samples
        for (int i = 0; i < 5; i++) {
            Map<String, JsonNode> x = new java.util.LinkedHashMap<>(a.get(i).values());
            Map<String, JsonNode> y = new java.util.LinkedHashMap<>(a.get(i + 5).values());
            x.remove("lr");
            y.remove("lr");
            assertEquals(x, y);
        }
        // more samples keep the first ones
        List<Cell> more = cells(String.format(f.replace("'samples': 5", "'samples': 6"), 7));
        assertEquals(a.get(0).values(), more.get(0).values());
        assertEquals(a.get(4).values(), more.get(4).values());
    }

    @Test void conditionalAxesApplyOnlyWhereTheirWhenHolds() {
        List<Cell> c = cells("{'grid': {'rule': ['bp', 'np'], 'lr': [0.1, 0.01],"
                + " 'sigma': {'values': [1e-3, 1e-4], 'when': {'rule': 'np'}}}, 'seeds': 2}");
        // bp: 2 lrs; np: 2 lrs x 2 sigmas; each x 2 seeds
        assertEquals((2 + 4) * 2, c.size());
        for (Cell x : c) {
            boolean np = x.values().get("rule").asText().equals("np");
            assertEquals(np, x.values().containsKey("sigma"), x.describe());
            if (np) assertEquals(x.values().get("sigma").asDouble(), x.config().get("rule_options").get("sigma").asDouble());
            else assertTrue(x.config().get("rule_options").isEmpty());
        }
        // seeds as a count: 1..N
        assertEquals(List.of(1L, 2L), c.subList(0, 2).stream().map(x -> x.values().get("seed").asLong()).toList());
        // a random axis may be conditional too; the rule's defaults still apply (np: lr 0.01 unless the grid says)
        List<Cell> r = cells("{'grid': {'rule': ['bp', 'np']}, 'random': {'samples': 2, 'axes': {"
                + "'sigma': {'log-uniform': [1e-5, 1e-2], 'when': {'rule': ['np', 'wp']}}}}}");
        // bp once (no random axis applies to it, its two samples would be the same run), np on both samples
        assertEquals(3, r.size());
        assertTrue(r.get(0).config().get("rule_options").isEmpty());
        assertTrue(r.get(1).values().containsKey("sigma") && r.get(2).values().containsKey("sigma"));
        assertNotEquals(r.get(1).values().get("sigma"), r.get(2).values().get("sigma"));
        double npLr = ((Number) org.creditlab.rules.RuleRegistry.get("np").configDefaults().get("lr")).doubleValue();
        assertEquals(npLr, r.get(2).config().get("lr").asDouble(), "np's own default lr");
        assertNotEquals(new org.creditlab.experiment.RunConfig().lr, npLr, "np's lr differs from the built-in default");
        assertEquals("mse", r.get(2).config().get("loss").asText(), "np's own default loss");
    }

    @Test void aListOfGridsIsTheUnionOfTheirProducts() {
        List<Cell> c = cells("{'grid': [{'rule': ['bp', 'kp'], 'lr': [0.1, 0.3]}, {'rule': ['np'], 'lr': [0.003, 0.01, 0.03]}]}");
        assertEquals(4 + 3, c.size());
        assertEquals("np", c.get(6).values().get("rule").asText());
        assertEquals(0.03, c.get(6).config().get("lr").asDouble());
    }

    @Test void aSweepOfSeedsOnlyHasOneCellPerSeed() {
        List<Cell> c = cells("{'base': {'rule': 'fa', 'lr': 0.05}, 'seeds': [4, 9]}");
        assertEquals(2, c.size());
        assertEquals(9, c.get(1).config().get("seed").asLong());
        assertEquals(0.05, c.get(1).config().get("lr").asDouble());
        assertTrue(c.get(0).name().startsWith("seed-4_"), c.get(0).name());
    }
}
