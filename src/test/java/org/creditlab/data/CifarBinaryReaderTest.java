package org.creditlab.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarBinaryReaderTest {
    @TempDir Path tmp;

    private static final int PER_BATCH = 2;

    /** Record r of batch b: label (b*2+r)%10; red plane 10+g, green 100+g, blue 200+g where g = global index. */
    static byte[] batch(int b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = 0; r < PER_BATCH; r++) {
            int g = b * PER_BATCH + r;
            out.write((b * PER_BATCH + r) % 10);
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) out.write(c == 0 ? 10 + g : c == 1 ? 100 + g : 200 + g + (p == 1023 ? 1 : 0));
            }
        }
        return out.toByteArray();
    }

    static DatasetInfo info(String archiveSha) {
        return new DatasetInfo("cifar10", "test", new long[] {3, 32, 32}, 10, DatasetFormat.CIFAR_BINARY,
                List.of(new DataFile("cifar-10-binary.tar.gz", 1, archiveSha, null)),
                List.of(URI.create("http://127.0.0.1:9/")), List.of());
    }

    @Test
    void parsesLabelsAndChannelMajorPixels() {
        INDArray x = UnitFloats.allocate(PER_BATCH, 3072);
        int[] y = new int[PER_BATCH];
        CifarBinaryReader.parseBatch(batch(1), "data_batch_2.bin", PER_BATCH, x, y, 0);
        assertArrayEquals(new int[] {2, 3}, y);
        // record 1 of batch 1 has global index 3: R plane first, then G, then B
        assertEquals(13 / 255f, x.getFloat(1, 0), 0f);
        assertEquals(103 / 255f, x.getFloat(1, 1024), 0f);
        assertEquals(203 / 255f, x.getFloat(1, 2048), 0f);
        assertEquals(204 / 255f, x.getFloat(1, 3071), 0f);
    }

    @Test
    void badLengthAndBadLabelAreRejected() {
        byte[] b = batch(0);
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 1);
        UserError e = assertThrows(UserError.class,
                () -> CifarBinaryReader.parseBatch(cut, "test_batch.bin", PER_BATCH, UnitFloats.allocate(2, 3072), new int[2], 0));
        assertTrue(e.getMessage().contains("test_batch.bin has 6145 bytes") && e.getMessage().contains("truncated"), e.getMessage());
        b[3073] = 10;
        UserError e2 = assertThrows(UserError.class,
                () -> CifarBinaryReader.parseBatch(b, "test_batch.bin", PER_BATCH, UnitFloats.allocate(2, 3072), new int[2], 0));
        assertTrue(e2.getMessage().contains("label 10 in record 1"), e2.getMessage());
    }

    @Test
    void loadsExtractedFolderInBatchOrder() {
        Path dir = tmp.resolve("cifar10/cifar-10-batches-bin");
        for (int b = 0; b < 5; b++) TestData.write(dir.resolve("data_batch_" + (b + 1) + ".bin"), batch(b));
        TestData.write(dir.resolve("test_batch.bin"), batch(7));
        DatasetLocator.Found found = DatasetLocator.probe(info("x"), tmp.resolve("cifar10")).orElseThrow();
        List<String> warnings = new ArrayList<>();
        LoadedDataset d = CifarBinaryReader.loadExtracted(info("x"), found.dir(), found.files(), PER_BATCH, warnings::add);
        assertEquals(10, d.train().size());
        assertEquals(2, d.test().size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, d.train().labels());
        INDArray img = d.train().features().reshape(10, 3, 32, 32);
        assertEquals(19 / 255f, img.getFloat(9, 0, 31, 31), 0f);
        assertEquals(109 / 255f, img.getFloat(9, 1, 0, 0), 0f);
        assertEquals(210 / 255f, img.getFloat(9, 2, 31, 31), 0f);
        assertEquals(114 / 255f, d.test().features().reshape(2, 3, 32, 32).getFloat(0, 1, 5, 5), 0f);
        assertEquals(1, warnings.size(), "extracted files cannot be verified: " + warnings);
    }

    @Test
    void readsTheArchiveWithoutExtractingAndVerifiesIt() throws IOException {
        byte[] tgz = archive();
        Path file = tmp.resolve("cifar-10-binary.tar.gz");
        TestData.write(file, tgz);
        LoadedDataset d = CifarBinaryReader.loadArchive(info(Sha256.hex(tgz)), file, PER_BATCH, w -> { }, "refetch");
        assertEquals(10, d.train().size());
        assertArrayEquals(new int[] {4, 5}, d.test().labels()); // test batch 2: labels (2*2+r)%10
        assertEquals(Sha256.hex(tgz), d.sha256().get("cifar-10-binary.tar.gz"));
        assertEquals(15 / 255f, d.train().features().getFloat(5, 0), 0f);

        UserError e = assertThrows(UserError.class,
                () -> CifarBinaryReader.loadArchive(info("0".repeat(64)), file, PER_BATCH, w -> { }, "refetch"));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    /** The real layout: cifar-10-batches-bin/ with the six batches plus the meta files. */
    private static byte[] archive() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bos))) {
            add(tar, "cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes());
            for (int b = 0; b < 5; b++) add(tar, "cifar-10-batches-bin/data_batch_" + (b + 1) + ".bin", batch(b));
            add(tar, "cifar-10-batches-bin/test_batch.bin", batch(2));
            add(tar, "cifar-10-batches-bin/readme.html", "<html/>".getBytes());
        }
        return bos.toByteArray();
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
