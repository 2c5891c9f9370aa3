package org.creditlab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes sweep files for tests (single quotes stand for double quotes, to keep the JSON readable in Java). */
final class SweepFiles {
    private SweepFiles() { }

    static Path write(Path dir, String name, String json) {
        try {
            Path f = dir.resolve(name + ".json");
            Files.writeString(f, json.replace('\'', '"'));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sweep of tiny real runs on the bundled MNIST sample: one epoch of a 784-8-10 net on 400 examples. */
    static String tinyBase(int epochs) {
        return "{'dataset': 'mnist', 'hidden': [8], 'epochs': " + epochs + ", 'train_subset': 600, 'validation': 200,"
                + " 'download': false, 'train_accuracy_examples': 0, 'batch_size': 50, 'eval_batch_size': 500}";
    }
}
