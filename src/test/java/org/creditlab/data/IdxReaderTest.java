package org.creditlab.data;

import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir Path tmp;

    private static final java.util.function.Consumer<String> NO_WARNINGS = w -> { };

    private LoadedDataset loadTiny(DatasetInfo info, Path dir, List<String> warnings) {
        DatasetLocator.Found found = DatasetLocator.probe(info, dir).orElseThrow();
        return IdxDatasetLoader.load(info, "full", dir, found.files(), warnings::add, "fix it");
    }

    @Test
    void gzippedFilesRoundTrip() {
        DatasetInfo info = TestData.writeTinyIdx(tmp, 5, 3, true);
        LoadedDataset d = loadTiny(info, tmp, new java.util.ArrayList<>());
        checkValues(d, 5, 3);
        assertEquals(4, d.sha256().size());
        assertEquals(info.file("t10k-labels-idx1-ubyte.gz").sha256(), d.sha256().get("t10k-labels-idx1-ubyte.gz"));
    }

    @Test
    void rawFilesRoundTripAndAreVerifiedByPayloadDigest() {
        DatasetInfo info = TestData.writeTinyIdx(tmp, 4, 2, false);
        List<String> warnings = new java.util.ArrayList<>();
        LoadedDataset d = loadTiny(info, tmp, warnings);
        checkValues(d, 4, 2);
        assertTrue(d.sha256().containsKey("train-images-idx3-ubyte"), d.sha256().toString());
        assertTrue(warnings.isEmpty(), "payload digests are known, so no warning: " + warnings);
    }

    @Test
    void rawFileWithoutReferenceDigestLoadsWithWarning() {
        DatasetInfo written = TestData.writeTinyIdx(tmp, 2, 2, false);
        DatasetInfo noPayload = new DatasetInfo(written.name(), "", written.exampleShape(), 10, DatasetFormat.IDX,
                written.files().stream().map(f -> new DataFile(f.name(), f.size(), "00", null)).toList(),
                written.mirrors(), List.of());
        List<String> warnings = new java.util.ArrayList<>();
        loadTiny(noPayload, tmp, warnings);
        assertEquals(4, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("unverified"), warnings.get(0));
    }

    private static void checkValues(LoadedDataset d, int nTrain, int nTest) {
        assertEquals(nTrain, d.train().size());
        assertEquals(nTest, d.test().size());
        assertEquals(DataType.FLOAT, d.train().features().dataType());
        assertArrayEquals(new long[] {nTrain, 784}, d.train().features().shape());
        assertArrayEquals(TestData.labels(nTrain), d.train().labels());
        assertArrayEquals(TestData.labels(nTest), d.test().labels());
        for (int i = 0; i < nTrain; i++) {
            for (int p : new int[] {0, 1, 27, 28, 400, 783}) {
                assertEquals(TestData.pixel(i, p) / 255f, d.train().features().getFloat(i, p), 0f, "image " + i + " pixel " + p);
            }
        }
        for (int i = 0; i < nTest; i++) {
            assertEquals(TestData.pixel(i, 500) / 255f, d.test().features().getFloat(i, 500), 0f);
        }
    }

    @Test
    void gzipIsDetectedByMagicBytesNotByName() {
        byte[] raw = TestData.idxLabels(1, 2, 3);
        byte[] gz = TestData.gzip(raw);
        assertArrayEquals(raw, IdxReader.maybeGunzip(gz, "labels-without-gz-suffix"));
        assertArrayEquals(raw, IdxReader.maybeGunzip(raw, "labels.gz"));
    }

    @Test
    void wrongMagicIsRejected() {
        byte[] labels = TestData.idxLabels(1, 2, 3);
        UserError e = assertThrows(UserError.class, () -> IdxReader.readImages(labels, "train-images-idx3-ubyte.gz"));
        assertTrue(e.getMessage().contains("magic number 0x00000801, expected 0x00000803"), e.getMessage());
    }

    @Test
    void truncatedImagesAreRejected() {
        byte[] full = TestData.idxImages(3, 28, 28, TestData.pixels(3, 784));
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 100);
        UserError e = assertThrows(UserError.class, () -> IdxReader.readImages(cut, "train-images-idx3-ubyte.gz"));
        assertEquals("train-images-idx3-ubyte.gz is truncated: expected 2352 bytes of pixels, got 2252", e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsRejected() {
        byte[] gz = TestData.gzip(TestData.idxImages(3, 28, 28, TestData.pixels(3, 784)));
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        UserError e = assertThrows(UserError.class, () -> IdxReader.maybeGunzip(cut, "t10k-images-idx3-ubyte.gz"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsRejected() {
        UserError e = assertThrows(UserError.class,
                () -> IdxReader.readLabels(TestData.idxLabels(3, 10, 1), "train-labels-idx1-ubyte.gz", 10));
        assertTrue(e.getMessage().contains("label 10 at index 1 is outside 0..9"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        DatasetInfo info = TestData.writeTinyIdx(tmp, 3, 2, true);
        // replace the train labels by 4 labels, and make the spec accept that file
        byte[] labels = TestData.gzip(TestData.idxLabels(1, 2, 3, 4));
        TestData.write(tmp.resolve("train-labels-idx1-ubyte.gz"), labels);
        DatasetInfo patched = new DatasetInfo(info.name(), "", info.exampleShape(), 10, DatasetFormat.IDX,
                info.files().stream().map(f -> f.name().equals("train-labels-idx1-ubyte.gz")
                        ? new DataFile(f.name(), labels.length, Sha256.hex(labels), null) : f).toList(),
                info.mirrors(), List.of());
        UserError e = assertThrows(UserError.class, () -> loadTiny(patched, tmp, new java.util.ArrayList<>()));
        assertEquals("train-images-idx3-ubyte.gz has 3 images but train-labels-idx1-ubyte.gz has 4 labels", e.getMessage());
    }

    @Test
    void aFileWithAnotherDigestIsReportedCorrupt() {
        DatasetInfo info = TestData.writeTinyIdx(tmp, 3, 2, true);
        byte[] other = TestData.gzip(TestData.idxLabels(0, 0, 0));
        TestData.write(tmp.resolve("train-labels-idx1-ubyte.gz"), other);
        UserError e = assertThrows(UserError.class, () -> loadTiny(info, tmp, new java.util.ArrayList<>()));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz is corrupt or not the official file"), e.getMessage());
        assertTrue(e.getMessage().contains(Sha256.hex(other)), e.getMessage());
    }
}
