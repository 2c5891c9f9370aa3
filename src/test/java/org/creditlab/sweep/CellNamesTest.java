package org.creditlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.creditlab.experiment.ConfigResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cell names: readable values plus a config hash, stable across expansions, extensions and machines. */
class CellNamesTest {
    @TempDir Path tmp;

    private List<Cell> cells(String name, String json) {
        return Expansion.expand(SweepFileReader.read(SweepFiles.write(tmp, name, json)));
    }

    @Test void namesReadTheValuesAndEndInAnEightDigitHash() {
        List<Cell> c = cells("a", "{'grid': {'rule': ['bp'], 'lr': [0.1, 10.0, 3e-7], 'hidden': [[256, 128]]}, 'seeds': [2]}");
        assertTrue(c.get(0).name().matches("bp_lr-0\\.1_hidden-256x128_seed-2_[0-9a-f]{8}"), c.get(0).name());
        assertTrue(c.get(1).name().startsWith("bp_lr-10_hidden"), c.get(1).name());
        assertTrue(c.get(2).name().startsWith("bp_lr-3e-7_hidden"), c.get(2).name());
        assertEquals(CellNames.hash(c.get(0).config()), c.get(0).hash());
    }

    @Test void namesAreStableAcrossExpansionsAndWhenTheSweepGrows() {
        List<Cell> first = cells("b", "{'grid': {'rule': ['bp', 'fa'], 'lr': [0.1]}, 'seeds': [1, 2]}");
        List<Cell> again = cells("c", "{'grid': {'rule': ['bp', 'fa'], 'lr': [0.1]}, 'seeds': [1, 2]}");
        assertEquals(first.stream().map(Cell::name).toList(), again.stream().map(Cell::name).toList());
        // a third lr and seed moves the cells' positions, not their names
        List<Cell> grown = cells("d", "{'grid': {'rule': ['bp', 'fa'], 'lr': [0.1, 0.03]}, 'seeds': [1, 2, 3]}");
        List<String> names = grown.stream().map(Cell::name).toList();
        for (Cell c : first) assertTrue(names.contains(c.name()), c.name());
    }

    @Test void theHashFollowsTheExperimentNotWhereOrHowFastItRuns() {
        Cell base = cells("e", "{'base': {'epochs': 2}, 'grid': {'lr': [0.1]}}").get(0);
        Cell moreEpochs = cells("f", "{'base': {'epochs': 3}, 'grid': {'lr': [0.1]}}").get(0);
        assertNotEquals(base.hash(), moreEpochs.hash(), "a changed base config is another experiment");
        assertEquals(base.name().replace(base.hash(), ""), moreEpochs.name().replace(moreEpochs.hash(), ""));
        ObjectNode elsewhere = base.config().deepCopy();
        elsewhere.put("threads", 8).put("data_dir", "/scratch/data").put("out", "/elsewhere").put("download", false);
        assertEquals(base.hash(), CellNames.hash(elsewhere), "threads, data_dir, download and out do not change the hash");
        ObjectNode reordered = ConfigResolver.JSON.createObjectNode();
        List<String> keys = new java.util.ArrayList<>();
        base.config().fieldNames().forEachRemaining(keys::add);
        java.util.Collections.reverse(keys);
        for (String k : keys) reordered.set(k, base.config().get(k));
        assertEquals(base.hash(), CellNames.hash(reordered), "key order does not matter");
    }

    @Test void valuesBecomeShellSafeWords() {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        assertEquals("conv32k3relu", CellNames.value(f.textNode("conv32k3, relu")));
        assertEquals("none", CellNames.value(f.arrayNode()));
        assertEquals("0.0003", CellNames.value(f.numberNode(3e-4)));
        assertEquals("1e-5", CellNames.value(f.numberNode(1e-5)));
        assertEquals("true", CellNames.value(f.booleanNode(true)));
    }
}
