package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
    @TempDir Path tmp;

    private static String stdout(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test void verifyFindsDebiansFashionMnistAndChecksEveryFile() {
        int[] code = new int[1];
        String out = stdout(() -> code[0] = TrainCommandTest.run("data", "verify", "fmnist").code());
        assertEquals(0, code[0], out);
        assertEquals(4, out.lines().filter(l -> l.startsWith("ok ")).count(), out);
        assertTrue(out.contains("fmnist: 4 files verified"), out);
    }

    @Test void verifyOfAnEmptyFolderIsAUserError() {
        TrainCommandTest.Outcome[] o = new TrainCommandTest.Outcome[1];
        String out = stdout(() -> o[0] = TrainCommandTest.run("data", "verify", "kmnist", "--dir", tmp.toString()));
        assertEquals(CreditMain.USAGE, o[0].code());
        assertEquals(4, out.lines().filter(l -> l.startsWith("missing")).count(), out);
        assertTrue(o[0].err().startsWith("credit: error: 4 of 4 kmnist files missing"), o[0].err());
    }

    @Test void verifyFindsDebiansFolderUnderTheGivenDirectory() {
        // the README's example: Debian installs Fashion-MNIST in /usr/share/datasets/fashion-mnist, not .../fmnist
        int[] code = new int[1];
        String out = stdout(() -> code[0] = TrainCommandTest.run("data", "verify", "fmnist", "--dir", "/usr/share/datasets").code());
        assertEquals(0, code[0], out);
        assertTrue(out.contains("fmnist: 4 files verified"), out);
    }

    @Test void verifyOfAnAbsentFolderExpectsTheFilesWhereFetchPutsThem() {
        Path absent = tmp.resolve("absent");
        TrainCommandTest.Outcome[] o = new TrainCommandTest.Outcome[1];
        String out = stdout(() -> o[0] = TrainCommandTest.run("data", "verify", "kmnist", "--dir", absent.toString()));
        assertEquals(CreditMain.USAGE, o[0].code());
        assertEquals(4, out.lines().filter(l -> l.startsWith("missing") && l.contains(" at " + absent.resolve("kmnist") + "/")).count(), out);
        assertTrue(o[0].err().contains("'credit data fetch kmnist --dir " + absent + "' puts them there"), o[0].err());
    }

    @Test void unknownDatasetIsAUserError() {
        assertEquals(CreditMain.USAGE, TrainCommandTest.run("data", "fetch", "imagenet").code());
    }
}
