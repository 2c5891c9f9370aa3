package org.creditlab.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.creditlab.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the CIFAR-10 binary version: each batch file is a sequence of 3073-byte records, one label byte
 * (0..9) followed by 3072 pixel bytes in channel-major order (1024 red, 1024 green, 1024 blue, each 32x32
 * row-major). Features keep that order, so a row reshapes to [3, 32, 32]. Reads either the extracted
 * .bin files or cifar-10-binary.tar.gz directly (streamed, never extracted to disk).
 */
final class CifarBinaryReader {
    private CifarBinaryReader() { }

    static final int PIXELS = 3 * 32 * 32;
    static final int RECORD = 1 + PIXELS;
    static final int RECORDS_PER_BATCH = 10_000;
    static final List<String> TRAIN_BATCHES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_BATCH = "test_batch.bin";
    static final String ARCHIVE_DIR = "cifar-10-batches-bin";

    /** Parses one batch into rows {@code firstRow..firstRow+records-1} of the destination arrays. */
    static void parseBatch(byte[] data, String fileName, int recordsPerBatch, INDArray features, int[] labels, int firstRow) {
        if (data.length % RECORD != 0 || data.length / RECORD != recordsPerBatch) {
            throw new UserError(fileName + " has " + data.length + " bytes; a CIFAR-10 batch is " + recordsPerBatch
                    + " records of " + RECORD + " bytes (" + (long) recordsPerBatch * RECORD + " bytes)"
                    + (data.length < (long) recordsPerBatch * RECORD ? ": it is truncated" : ""));
        }
        for (int r = 0; r < recordsPerBatch; r++) {
            int at = r * RECORD;
            int label = data[at] & 0xff;
            if (label >= 10) {
                throw new UserError(fileName + ": label " + label + " in record " + r + " is outside 0..9");
            }
            labels[firstRow + r] = label;
        }
        UnitFloats.fill(features, firstRow, recordsPerBatch, data, 1, RECORD);
    }

    /** From extracted batch files: {@code batches} maps "data_batch_1.bin" ... "test_batch.bin" to paths. */
    static LoadedDataset loadExtracted(DatasetInfo info, Path source, Map<String, Path> batches, int recordsPerBatch,
                                       Consumer<String> warnings) {
        Map<String, byte[]> contents = new HashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        for (String name : batchNames()) {
            Path p = batches.get(name);
            try {
                byte[] b = Files.readAllBytes(p);
                contents.put(name, b);
                digests.put(name, Sha256.hex(b));
            } catch (IOException e) {
                throw new UserError("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        warnings.accept("cifar10: reading extracted .bin files from " + source + "; no reference digests exist for them,"
                + " so only their format is checked (keep " + Catalog.CIFAR_ARCHIVE + " there to have it verified)");
        return assemble(info, source, contents, digests, recordsPerBatch);
    }

    /** From the archive itself, hashing it on the way through and checking the digest at the end. */
    static LoadedDataset loadArchive(DatasetInfo info, Path archive, int recordsPerBatch, Consumer<String> warnings,
                                     String remedy) {
        Map<String, byte[]> contents = new HashMap<>();
        MessageDigest digest = Sha256.newDigest();
        String shown = archive.getFileName().toString();
        try (InputStream file = Files.newInputStream(archive);
             DigestInputStream hashing = new DigestInputStream(new BufferedInputStream(file, 1 << 16), digest)) {
            try {
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(hashing, 1 << 16));
                for (TarArchiveEntry e; (e = tar.getNextTarEntry()) != null; ) {
                    String base = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                    if (e.isFile() && batchNames().contains(base)) contents.put(base, tar.readAllBytes());
                }
            } catch (EOFException e) {
                throw new UserError(shown + " is truncated (the archive ends early)");
            } catch (ZipException e) {
                throw new UserError(shown + " is not a valid gzip file: " + e.getMessage());
            }
            hashing.transferTo(java.io.OutputStream.nullOutputStream()); // the digest must cover any bytes after the tar end marker
        } catch (IOException e) {
            throw new UserError("cannot read " + archive + ": " + e.getMessage(), e);
        }
        String sha = Sha256.hex(digest);
        FileVerifier.check(info.name(), info.file(Catalog.CIFAR_ARCHIVE), shown, sha, true, () -> null, warnings, remedy);
        for (String name : batchNames()) {
            if (!contents.containsKey(name)) {
                throw new UserError(shown + " has no " + ARCHIVE_DIR + "/" + name);
            }
        }
        return assemble(info, archive.getParent(), contents, Map.of(shown, sha), recordsPerBatch);
    }

    static List<String> batchNames() {
        return List.of(TRAIN_BATCHES.get(0), TRAIN_BATCHES.get(1), TRAIN_BATCHES.get(2), TRAIN_BATCHES.get(3),
                TRAIN_BATCHES.get(4), TEST_BATCH);
    }

    private static LoadedDataset assemble(DatasetInfo info, Path source, Map<String, byte[]> contents,
                                          Map<String, String> digests, int recordsPerBatch) {
        int nTrain = TRAIN_BATCHES.size() * recordsPerBatch;
        INDArray trainX = UnitFloats.allocate(nTrain, PIXELS);
        int[] trainY = new int[nTrain];
        for (int b = 0; b < TRAIN_BATCHES.size(); b++) {
            String name = TRAIN_BATCHES.get(b);
            parseBatch(contents.remove(name), name, recordsPerBatch, trainX, trainY, b * recordsPerBatch);
        }
        INDArray testX = UnitFloats.allocate(recordsPerBatch, PIXELS);
        int[] testY = new int[recordsPerBatch];
        parseBatch(contents.remove(TEST_BATCH), TEST_BATCH, recordsPerBatch, testX, testY, 0);
        DataSplit train = new DataSplit(trainX, trainY);
        DataSplit test = new DataSplit(testX, testY);
        return new LoadedDataset(info.name(), "full", info.exampleShape(), info.classes(), train, test, digests, source);
    }
}
