package org.creditlab.data;

import org.creditlab.UserError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LookupOrderTest {
    @TempDir Path tmp;

    /** Removes our links to the system folder first, so JUnit has nothing outside the temp dir to warn about. */
    @AfterEach
    void removeLinks() throws IOException {
        try (var paths = Files.walk(tmp)) {
            for (Path p : paths.filter(Files::isSymbolicLink).toList()) Files.delete(p);
        }
    }

    /** The first complete folder in lookup order, as Datasets.load would pick it. */
    private static Optional<Path> firstFound(DatasetInfo info, Path dataDir, LookupContext ctx) {
        for (DatasetLocator.Place p : DatasetLocator.places(ctx.adjust(info), dataDir, ctx)) {
            Optional<DatasetLocator.Found> f = DatasetLocator.probe(ctx.adjust(info), p.dir());
            if (f.isPresent()) return Optional.of(f.get().dir());
        }
        return Optional.empty();
    }

    private Path tiny(String rel) {
        Path dir = tmp.resolve(rel);
        TestData.writeTinyIdx(dir, 2, 1, true);
        return dir;
    }

    @Test
    void orderIsDataDirThenEnvThenWorkDirThenSystem() {
        DatasetInfo info = Datasets.info("mnist");
        Path work = tmp.resolve("work");
        Path system = tiny("usr/share/datasets/mnist");
        LookupContext ctx = new LookupContext(work, tmp.resolve("env").toString(), null, null, List.of(system), null);
        assertEquals(Optional.of(system), firstFound(info, null, ctx));
        Path dotData = tiny("work/data/mnist");
        assertEquals(Optional.of(dotData), firstFound(info, null, ctx));
        Path env = tiny("env/mnist");
        assertEquals(Optional.of(env), firstFound(info, null, ctx));
        Path given = tiny("given"); // --data-dir holding the files directly
        assertEquals(Optional.of(given), firstFound(info, given, ctx));
        Path givenNamed = tiny("given/mnist"); // ... or holding mnist/
        assertEquals(Optional.of(givenNamed), firstFound(info, given, ctx));
    }

    @Test
    void envHoldingFilesDirectlyAndRawFilesCount() {
        DatasetInfo info = Datasets.info("kmnist");
        Path env = tmp.resolve("kdata");
        TestData.writeTinyIdx(env, 2, 1, false); // uncompressed names
        LookupContext ctx = new LookupContext(tmp.resolve("work"), env.toString(), null, null, null, null);
        assertEquals(Optional.of(env), firstFound(info, null, ctx));
    }

    @Test
    void relativeDataDirIsResolvedAgainstTheWorkingDirectory() {
        Path dir = tiny("work/mydata/mnist");
        LookupContext ctx = new LookupContext(tmp.resolve("work"), null, null, null, List.of(), null);
        assertEquals(Optional.of(dir), firstFound(Datasets.info("mnist"), Path.of("mydata"), ctx));
    }

    @Test
    void cifarArchiveAndExtractedLayoutsAreFound() throws IOException {
        DatasetInfo info = Datasets.info("cifar10");
        Path extracted = tmp.resolve("a/cifar10/cifar-10-batches-bin");
        for (String b : CifarBinaryReader.batchNames()) TestData.write(extracted.resolve(b), new byte[] {0});
        DatasetLocator.Found f = DatasetLocator.probe(info, tmp.resolve("a/cifar10")).orElseThrow();
        assertEquals(extracted, f.dir());
        assertTrue(!f.cifarArchive());
        Files.write(tmp.resolve("a/cifar10/cifar-10-binary.tar.gz"), new byte[] {1});
        assertTrue(DatasetLocator.probe(info, tmp.resolve("a/cifar10")).orElseThrow().cifarArchive(), "the verifiable archive wins");
    }

    /** End to end with the real Fashion-MNIST linked into temporary folders. */
    @Test
    void dataDirBeatsDotDataAndAFallbackIsAnnounced() throws IOException {
        Path fm = TestData.requireFmnist();
        Path work = tmp.resolve("work");
        Path given = tmp.resolve("given");
        link(fm, work.resolve("data/fmnist"));
        link(fm, given.resolve("fmnist"));
        LookupContext ctx = new LookupContext(work, null, null, null, List.of(), null);
        List<String> warnings = new ArrayList<>();
        LoadedDataset d = Datasets.load("fmnist", new DataRequest(given, false, false, warnings::add), ctx);
        assertEquals(given.resolve("fmnist"), d.source());
        assertTrue(warnings.isEmpty(), warnings.toString());

        Path emptyGiven = Files.createDirectories(tmp.resolve("empty"));
        LoadedDataset d2 = Datasets.load("fmnist", new DataRequest(emptyGiven, false, false, warnings::add), ctx);
        assertEquals(work.resolve("data/fmnist"), d2.source());
        assertEquals(List.of("fmnist not found in --data-dir " + emptyGiven + "; using " + work.resolve("data/fmnist")
                + " (./data)"), warnings);
    }

    @Test
    void corruptFileIsRefusedNotSkipped() throws IOException {
        Path fm = TestData.requireFmnist();
        Path dir = tmp.resolve("work/data/fmnist");
        link(fm, dir);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        byte[] labels = TestData.read(fm.resolve("t10k-labels-idx1-ubyte.gz"));
        labels[labels.length / 2] ^= 1;
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), labels);
        LookupContext ctx = new LookupContext(tmp.resolve("work"), null, null, null, null, null); // system folder present too
        UserError e = assertThrows(UserError.class, () -> Datasets.load("fmnist", DataRequest.localOnly(null), ctx));
        assertTrue(e.getMessage().startsWith("fmnist: t10k-labels-idx1-ubyte.gz is corrupt or not the official file (sha256 ")
                || e.getMessage().startsWith("t10k-labels-idx1-ubyte.gz is not a valid gzip file")
                || e.getMessage().startsWith("t10k-labels-idx1-ubyte.gz is truncated"), e.getMessage());
    }

    @Test
    void incompleteFolderIsNamedInTheNotFoundMessage() {
        Path dir = tiny("work/data/mnist");
        try {
            Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        } catch (IOException ex) {
            throw new RuntimeException(ex);
        }
        LookupContext ctx = new LookupContext(tmp.resolve("work"), null, null, null, List.of(), null);
        UserError e = assertThrows(UserError.class, () -> Datasets.load("mnist", DataRequest.localOnly(null), ctx));
        assertTrue(e.getMessage().contains(dir + " (incomplete: no t10k-images-idx3-ubyte.gz)"), e.getMessage());
    }

    @Test
    void unknownDatasetNamesTheKnownOnes() {
        UserError e = assertThrows(UserError.class, () -> Datasets.info("svhn"));
        assertEquals("unknown dataset 'svhn' (known: mnist, fmnist, kmnist, cifar10)", e.getMessage());
    }

    private static void link(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (DataFile f : Datasets.info("fmnist").files()) Files.createSymbolicLink(to.resolve(f.name()), from.resolve(f.name()));
    }
}
