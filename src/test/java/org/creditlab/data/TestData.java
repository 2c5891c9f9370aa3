package org.creditlab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builders for small files in the exact on-disk formats, and access to the real Debian Fashion-MNIST. */
final class TestData {
    private TestData() { }

    static final Path FMNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * Original gzip mtimes of the official Fashion-MNIST files. Debian's copies lack the FNAME field and
     * carry another mtime; restoring both reproduces the official bytes (found by searching mtimes around
     * the 2017-08 release until the TFDS digest matched).
     */
    static final Map<String, Integer> FMNIST_MTIMES = Map.of(
            "train-images-idx3-ubyte.gz", 1504176606, "train-labels-idx1-ubyte.gz", 1504176606,
            "t10k-images-idx3-ubyte.gz", 1504176627, "t10k-labels-idx1-ubyte.gz", 1504176627);

    /** Fails (never skips) when the Debian package is missing: CI must install it. */
    static Path requireFmnist() {
        assertTrue(Files.isRegularFile(FMNIST_DIR.resolve("train-images-idx3-ubyte.gz")),
                FMNIST_DIR + " is missing: run scripts/setup.sh (installs the Debian package dataset-fashion-mnist)");
        return FMNIST_DIR;
    }

    /** The official .gz bytes rebuilt from Debian's copy: gzip header with FLG.FNAME, the original mtime, the name. */
    static byte[] officialFmnist(String name) {
        byte[] deb = read(requireFmnist().resolve(name));
        if (deb[3] != 0) throw new IllegalStateException("expected Debian's header without FNAME");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 8}, 0, 4);
        int t = FMNIST_MTIMES.get(name);
        out.write(new byte[] {(byte) t, (byte) (t >>> 8), (byte) (t >>> 16), (byte) (t >>> 24)}, 0, 4);
        out.write(new byte[] {deb[8], deb[9]}, 0, 2); // XFL, OS
        byte[] n = name.substring(0, name.length() - 3).getBytes(StandardCharsets.US_ASCII);
        out.write(n, 0, n.length);
        out.write(0);
        out.write(deb, 10, deb.length - 10);
        return out.toByteArray();
    }

    static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length); // big-endian, like IDX
        b.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x00000801).putInt(labels.length);
        for (int l : labels) b.put((byte) l);
        return b.array();
    }

    /** Pixel value of image i at position p: distinct per image and position so mix-ups show. */
    static int pixel(int i, int p) {
        return (i * 31 + p * 7) & 0xff;
    }

    static byte[] pixels(int count, int size) {
        byte[] out = new byte[count * size];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < size; p++) out[i * size + p] = (byte) pixel(i, p);
        }
        return out;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, byte[] data) {
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a tiny 28x28 IDX dataset (trainCount/testCount images) into dir, gzipped or raw, and returns a
     * DatasetInfo named "mnist" whose digests are those of the written files, so the loader accepts them.
     */
    static DatasetInfo writeTinyIdx(Path dir, int trainCount, int testCount, boolean gz) {
        Map<String, byte[]> files = Map.of(
                "train-images-idx3-ubyte.gz", idxImages(trainCount, 28, 28, pixels(trainCount, 784)),
                "train-labels-idx1-ubyte.gz", idxLabels(labels(trainCount)),
                "t10k-images-idx3-ubyte.gz", idxImages(testCount, 28, 28, pixels(testCount, 784)),
                "t10k-labels-idx1-ubyte.gz", idxLabels(labels(testCount)));
        List<DataFile> specs = new ArrayList<>();
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            byte[] raw = files.get(name);
            byte[] stored = gz ? gzip(raw) : raw;
            String diskName = gz ? name : name.substring(0, name.length() - 3);
            write(dir.resolve(diskName), stored);
            specs.add(new DataFile(name, stored.length, Sha256.hex(stored), Sha256.hex(raw)));
        }
        return new DatasetInfo("mnist", "tiny test set", new long[] {1, 28, 28}, 10, DatasetFormat.IDX, specs,
                List.of(URI.create("http://127.0.0.1:9/")), List.of());
    }

    static int[] labels(int n) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = (i * 3) % 10;
        return l;
    }
}
