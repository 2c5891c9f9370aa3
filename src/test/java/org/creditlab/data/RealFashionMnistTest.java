package org.creditlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real Fashion-MNIST from Debian's dataset-fashion-mnist; fails (does not skip) when it is not installed. */
class RealFashionMnistTest {
    @TempDir Path emptyWorkDir;

    @Test
    void debianFilesAreTheOfficialDataWithAnotherGzipHeader() {
        TestData.requireFmnist();
        for (DataFile f : Datasets.info("fmnist").files()) {
            assertEquals(f.sha256(), Sha256.hex(TestData.officialFmnist(f.name())),
                    "restoring the original gzip header must reproduce the official " + f.name());
            assertEquals(f.size(), TestData.officialFmnist(f.name()).length);
        }
    }

    @Test
    void loadsFromTheSystemFolderWithVerifiedContent() {
        TestData.requireFmnist();
        LookupContext ctx = new LookupContext(emptyWorkDir, null, null, null, null, null);
        List<String> warnings = new ArrayList<>();
        long t0 = System.nanoTime();
        LoadedDataset d = Datasets.load("fmnist", new DataRequest(null, false, false, warnings::add), ctx);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("Fashion-MNIST loaded in " + ms + " ms");

        assertEquals("fmnist", d.name());
        assertEquals("full", d.variant());
        assertEquals(TestData.FMNIST_DIR, d.source());
        assertArrayEquals(new long[] {1, 28, 28}, d.exampleShape());
        assertEquals(10, d.classes());
        assertArrayEquals(new long[] {60000, 784}, d.train().features().shape());
        assertArrayEquals(new long[] {10000, 784}, d.test().features().shape());
        int[] trainCounts = new int[10];
        for (int l : d.train().labels()) trainCounts[l]++;
        int[] testCounts = new int[10];
        for (int l : d.test().labels()) testCounts[l]++;
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, trainCounts[c], "train class " + c);
            assertEquals(1000, testCounts[c], "test class " + c);
        }
        assertEquals(0.0, d.train().features().minNumber().doubleValue(), 0.0);
        assertEquals(1.0, d.train().features().maxNumber().doubleValue(), 0.0);
        // Known Fashion-MNIST facts: first train label is 9 (ankle boot), first test label 9 as well.
        assertEquals(9, d.train().labels()[0]);
        assertEquals(9, d.test().labels()[0]);
        // Each file read is recorded with the digest of Debian's bytes, and was accepted as a repack of the
        // official data (the payload digest), without warnings.
        assertEquals(4, d.sha256().size());
        for (DataFile f : Datasets.info("fmnist").files()) {
            assertEquals(Sha256.hex(TestData.FMNIST_DIR.resolve(f.name())), d.sha256().get(f.name()));
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertTrue(ms < 20_000, "loading took " + ms + " ms");
    }

    @Test
    void verifyReportsDebianCopiesAsRepackedOfficialData() {
        TestData.requireFmnist();
        List<FileCheck> checks = DatasetFetcher.verify(Datasets.info("fmnist"), TestData.FMNIST_DIR);
        assertEquals(4, checks.size());
        for (FileCheck c : checks) {
            assertEquals(FileCheck.Status.OK_REPACKED, c.status(), c.describe());
        }
    }
}
