package org.creditlab.data;

import org.creditlab.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Reads, verifies and assembles the four IDX files of MNIST-like datasets. */
final class IdxDatasetLoader {
    private IdxDatasetLoader() { }

    /**
     * @param files official file name (e.g. "train-images-idx3-ubyte.gz") -> the file on disk, which may be
     *              the gzipped or the raw (no ".gz") variant
     */
    static LoadedDataset load(DatasetInfo info, String variant, Path source, Map<String, Path> files,
                              Consumer<String> warnings, String remedy) {
        Map<String, String> digests = new LinkedHashMap<>();
        DataSplit train = split(info, files, Catalog.TRAIN_IMAGES, Catalog.TRAIN_LABELS, digests, warnings, remedy);
        DataSplit test = split(info, files, Catalog.TEST_IMAGES, Catalog.TEST_LABELS, digests, warnings, remedy);
        return new LoadedDataset(info.name(), variant, info.exampleShape(), info.classes(), train, test, digests, source);
    }

    private static DataSplit split(DatasetInfo info, Map<String, Path> files, String imagesName, String labelsName,
                                   Map<String, String> digests, Consumer<String> warnings, String remedy) {
        Path imagesPath = files.get(imagesName);
        Path labelsPath = files.get(labelsName);
        IdxReader.Images images = IdxReader.readImages(verifiedPayload(info, imagesName, imagesPath, digests, warnings, remedy),
                imagesPath.getFileName().toString());
        int[] labels = IdxReader.readLabels(verifiedPayload(info, labelsName, labelsPath, digests, warnings, remedy),
                labelsPath.getFileName().toString(), info.classes());
        long[] shape = info.exampleShape();
        if (images.rows() != shape[1] || images.cols() != shape[2]) {
            throw new UserError(imagesPath.getFileName() + " holds " + images.rows() + "x" + images.cols()
                    + " images, but " + info.name() + " images are " + shape[1] + "x" + shape[2]);
        }
        if (images.count() != labels.length) {
            throw new UserError(imagesPath.getFileName() + " has " + images.count() + " images but "
                    + labelsPath.getFileName() + " has " + labels.length + " labels");
        }
        int width = images.rows() * images.cols();
        INDArray features = UnitFloats.allocate(images.count(), width);
        UnitFloats.fill(features, 0, images.count(), images.data(), images.offset(), width);
        return new DataSplit(features, labels);
    }

    /** Reads the file once, records its digest, verifies it and returns the decompressed IDX bytes. */
    private static byte[] verifiedPayload(DatasetInfo info, String officialName, Path path, Map<String, String> digests,
                                          Consumer<String> warnings, String remedy) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage(), e);
        }
        String shown = path.getFileName().toString();
        String sha = Sha256.hex(raw);
        digests.put(shown, sha);
        boolean compressed = IdxReader.isGzip(raw);
        byte[] payload = IdxReader.maybeGunzip(raw, shown);
        FileVerifier.check(info.name(), info.file(officialName), shown, sha, compressed,
                () -> Sha256.hex(payload), warnings, remedy);
        return payload;
    }

}
