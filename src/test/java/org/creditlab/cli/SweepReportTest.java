package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.creditlab.sweep.Cell;
import org.creditlab.sweep.Expansion;
import org.creditlab.sweep.SweepDirectory;
import org.creditlab.sweep.SweepFileReader;
import org.creditlab.sweep.SweepSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep report on a sweep whose results are written by the test (so every number is known): groups, means and
 * Student-t intervals by hand, and the best setting chosen on validation accuracy even where test accuracy would
 * choose another. Also the plain {@code credit report}'s formats, dataset column and warnings.
 */
class SweepReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    Path dir;
    SweepDirectory sweep;

    /** bp lr 0.1: test 80/82/84, val 70/71/72; bp lr 0.01: test 90/90/93 but val 60/61/62 (test would pick it). */
    private static final double[][][] BP = {{{80, 70}, {82, 71}, {84, 72}}, {{90, 60}, {90, 61}, {93, 62}}};

    @BeforeEach void fakeSweep() throws Exception {
        Path file = tmp.resolve("s.json");
        Files.writeString(file, "{'name': 'fair', 'base': {'validation': 100}, 'grid': {'rule': ['bp', 'fa'], 'lr': [0.1, 0.01]}, 'seeds': [1, 2, 3]}"
                .replace('\'', '"'));
        SweepSpec spec = SweepFileReader.read(file);
        List<Cell> cells = Expansion.expand(spec);
        dir = tmp.resolve("fair");
        sweep = SweepDirectory.prepare(dir, spec, cells, false);
        for (int i = 0; i < 6; i++) {
            double[] tv = BP[i / 3][i % 3];
            write(cells.get(i), "completed", tv[0], tv[1]);
        }
        // fa lr 0.1: seeds 1, 2 completed (70, 74; val 65, 66), seed 3 diverged; fa lr 0.01: seed 1 only, the rest pending
        write(cells.get(6), "completed", 70, 65);
        write(cells.get(7), "completed", 74, 66);
        write(cells.get(8), "diverged", 10, 10);
        write(cells.get(9), "completed", 60, 55);
    }

    private void write(Cell c, String status, double test, double val) throws Exception {
        Path run = sweep.runDir(c);
        Files.createDirectories(run);
        Files.copy(sweep.configFile(c), run.resolve("config.json"));
        Files.writeString(run.resolve("metrics.jsonl"), String.format(Locale.ROOT,
                "{\"type\":\"epoch\",\"epoch\":1,\"test_accuracy\":%s,\"validation_accuracy\":%s}%n"
                        + "{\"type\":\"epoch\",\"epoch\":2,\"test_accuracy\":%s,\"validation_accuracy\":%s}%n",
                test - 5, val - 5, test, val));
        Files.writeString(run.resolve("result.json"), String.format(Locale.ROOT,
                "{\"status\":\"%s\",\"final\":{\"test_accuracy\":%s,\"validation_accuracy\":%s,\"epochs\":2},\"best_test_accuracy\":%s}",
                status, test, val, test + 1));
    }

    @Test void groupsIntervalsAndTheValidationChosenSetting() throws Exception {
        SweepRunTest.Outcome o = SweepRunTest.credit("sweep", "report", dir.toString());
        assertEquals(0, o.code(), o.err());
        String md = o.out();
        // bp lr 0.1: mean 82, s = 2, half-width t(0.975, 2) * 2 / sqrt(3) = 4.3027 * 1.1547 = 4.97
        assertTrue(md.contains("| bp | 0.1 | 3 | 82.00 ± 4.97 | 83.00 ± 4.97 | 71.00 | 0 | 0 |"), md);
        // bp lr 0.01: 90, 90, 93: mean 91, s = sqrt(3) = 1.7321, half-width 4.3027 * 1.7321 / sqrt(3) = 4.30
        assertTrue(md.contains("| bp | 0.01 | 3 | 91.00 ± 4.30 |"), md);
        // fa lr 0.1: the diverged seed is counted apart; 70, 74: half-width 12.7062 * 2.8284 / sqrt(2) = 25.41
        assertTrue(md.contains("| fa | 0.1 | 2 | 72.00 ± 25.41 |"), md);
        assertTrue(md.contains("| 65.50 | 1 | 0 |"), md);
        assertTrue(md.contains("| fa | 0.01 | 1 | 60.00 | 61.00 | 55.00 | 0 | 2 |"), md);
        // chosen on validation: bp lr 0.1 (val 71 > 61), although lr 0.01 has the higher test accuracy
        assertTrue(md.contains("| bp | lr 0.1 | 71.00 | 3 | 82.00 | [77.03, 86.97] |"), md);
        assertTrue(md.contains("| fa | lr 0.1 | 65.50 | 2 | 72.00 | [46.59, 97.41] |"), md);

        String csv = Files.readString(dir.resolve("report.csv"));
        assertTrue(csv.startsWith("rule,lr,n,final_test_mean,final_test_ci95_low,final_test_ci95_high,best_test_mean,"), csv);
        assertTrue(csv.contains("\nbp,0.1,3,82.0000,77.0317,86.9683,83.0000,78.0317,87.9683,71.0000,0,0\n"), csv);
        JsonNode json = JSON.readTree(dir.resolve("report.json").toFile());
        assertEquals(4, json.path("groups").size());
        JsonNode best = json.path("best_per_rule").get(0);
        assertEquals("bp", best.path("rule").asText());
        assertEquals(0.1, best.path("setting").path("lr").asDouble());
        assertEquals(77.0317, best.path("test_accuracy").path("ci95_low").asDouble(), 1e-4);
        assertEquals(Files.readString(dir.resolve("report.md")), md);
        for (String png : List.of("accuracy-vs-lr.png", "curves.png")) {
            byte[] b = Files.readAllBytes(dir.resolve(png));
            assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', png);
        }
        // credit report on the sweep directory is the same report, in any format
        SweepRunTest.Outcome viaReport = SweepRunTest.credit("report", dir.toString(), "--format", "csv");
        assertEquals(0, viaReport.code(), viaReport.err());
        assertEquals(csv, viaReport.out());
    }

    @Test void withoutAValidationSplitNoSettingIsChosen() throws Exception {
        for (Cell c : sweep.cells()) {
            Path r = sweep.runDir(c).resolve("result.json");
            if (Files.exists(r)) Files.writeString(r, Files.readString(r).replaceAll(",\"validation_accuracy\":[0-9.]+", ""));
        }
        SweepRunTest.Outcome o = SweepRunTest.credit("sweep", "report", dir.toString(), "--format", "md");
        assertTrue(o.out().contains("no cell has a validation split"), o.out());
        assertFalse(o.out().contains("| bp | lr "), o.out());
    }

    @Test void plainReportFormatsDatasetsAndAnUnreadableRun() throws Exception {
        Path a = sweep.runDir(sweep.cells().get(0)), b = sweep.runDir(sweep.cells().get(6));
        String cfg = Files.readString(b.resolve("config.json"));
        Files.writeString(b.resolve("config.json"), cfg.replace("\"dataset\" : \"mnist\"", "\"dataset\" : \"fmnist\""));
        Path broken = sweep.runDir(sweep.cells().get(1));
        Files.writeString(broken.resolve("result.json"), "{not json");
        SweepRunTest.Outcome md = SweepRunTest.credit("report", a.toString(), b.toString(), broken.toString());
        assertEquals(0, md.code(), md.err());
        assertTrue(md.out().startsWith("| run | rule | dataset | network |"), md.out());
        assertTrue(md.out().contains("| fa | fmnist | fc [500,500] | 2 | 70.00 |"), md.out());
        assertTrue(md.err().contains("warning: skipped " + broken), md.err());
        assertTrue(md.err().contains("different datasets (fmnist, mnist)"), md.err());
        assertEquals(2, md.out().strip().lines().count() - 2, "two rows: " + md.out());
        SweepRunTest.Outcome csv = SweepRunTest.credit("report", a.toString(), "--format", "csv");
        assertTrue(csv.out().startsWith("run,rule,dataset,network,shape,epochs,test_accuracy,best_test_accuracy,"), csv.out());
        assertTrue(csv.out().contains(",bp,mnist,fc,\"[500,500]\",2,80.0000,81.0000,"), csv.out());
        SweepRunTest.Outcome json = SweepRunTest.credit("report", a.toString(), "--format", "json");
        assertEquals(80.0, JSON.readTree(json.out()).get(0).path("test_accuracy").asDouble());
        SweepRunTest.Outcome bad = SweepRunTest.credit("report", a.toString(), "--format", "xml");
        assertEquals(CreditMain.USAGE, bad.code());
    }
}
