package org.creditlab.data;

import org.creditlab.UserError;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Parses IDX files (the MNIST format): a big-endian int magic 0x000008TT where 08 = unsigned byte and TT
 * the number of dimensions, then one big-endian int per dimension, then the data. Everything is read
 * into memory first: one 47 MB array parses far faster than a stream of small reads.
 */
final class IdxReader {
    private IdxReader() { }

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /** Images as stored: {@code pixels[offset + i*rows*cols + r*cols + c]}. */
    record Images(int count, int rows, int cols, byte[] data, int offset) { }

    static boolean isGzip(byte[] data) {
        return data.length >= 2 && data[0] == (byte) 0x1f && data[1] == (byte) 0x8b;
    }

    /**
     * Decompresses gzip content (recognised by its magic bytes 1f 8b, not by the name); other bytes are
     * returned as is. The output array is sized from the gzip trailer (ISIZE), which avoids the repeated
     * grow-and-copy of readAllBytes on a 47 MB payload; a stream that disagrees with it is read the slow way.
     */
    static byte[] maybeGunzip(byte[] data, String fileName) {
        if (!isGzip(data)) return data;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16)) {
            long declared = data.length >= 18 ? Integer.toUnsignedLong(readIntLittleEndian(data, data.length - 4)) : -1;
            if (declared < 0 || declared > Integer.MAX_VALUE - 16) return in.readAllBytes();
            byte[] out = new byte[(int) declared];
            int n = in.readNBytes(out, 0, out.length);
            if (n < out.length) {
                throw new UserError(fileName + " is truncated: the gzip stream ends after " + n + " of " + out.length + " bytes");
            }
            if (in.read() != -1) {
                // ISIZE is the size mod 2^32 of the last member only; concatenated members land here.
                try (GZIPInputStream again = new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16)) {
                    return again.readAllBytes();
                }
            }
            return out;
        } catch (EOFException e) {
            throw new UserError(fileName + " is truncated: the gzip stream ends early");
        } catch (ZipException e) {
            throw new UserError(fileName + " is not a valid gzip file: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int readIntLittleEndian(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | ((b[at + 2] & 0xff) << 16) | ((b[at + 3] & 0xff) << 24);
    }

    static Images readImages(byte[] data, String fileName) {
        requireHeader(data, 16, fileName, IMAGES_MAGIC, "image");
        int count = readInt(data, 4);
        int rows = readInt(data, 8);
        int cols = readInt(data, 12);
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new UserError(fileName + " has invalid dimensions " + count + "x" + rows + "x" + cols);
        }
        long expected = (long) count * rows * cols;
        requireLength(fileName, expected, data.length - 16L, "pixels");
        return new Images(count, rows, cols, data, 16);
    }

    static int[] readLabels(byte[] data, String fileName, int classes) {
        requireHeader(data, 8, fileName, LABELS_MAGIC, "label");
        int count = readInt(data, 4);
        if (count < 0) throw new UserError(fileName + " declares a negative label count " + count);
        requireLength(fileName, count, data.length - 8L, "labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int v = data[8 + i] & 0xff;
            if (v >= classes) {
                throw new UserError(fileName + ": label " + v + " at index " + i + " is outside 0.." + (classes - 1));
            }
            labels[i] = v;
        }
        return labels;
    }

    /** Magic first: a file of the wrong kind is better reported as such than as "too short". */
    private static void requireHeader(byte[] data, int headerBytes, String fileName, int magic, String kind) {
        if (data.length >= 4 && readInt(data, 0) != magic) {
            throw new UserError(String.format("%s is not an IDX %s file: magic number 0x%08x, expected 0x%08x",
                    fileName, kind, readInt(data, 0), magic));
        }
        if (data.length < headerBytes) {
            throw new UserError(fileName + " is too short (" + data.length + " bytes) to be an IDX " + kind + " file");
        }
    }

    private static void requireLength(String fileName, long expected, long actual, String what) {
        if (actual < expected) {
            throw new UserError(fileName + " is truncated: expected " + expected + " bytes of " + what + ", got " + actual);
        }
        if (actual > expected) {
            throw new UserError(fileName + " has " + (actual - expected) + " unexpected bytes after its " + expected
                    + " bytes of " + what);
        }
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
