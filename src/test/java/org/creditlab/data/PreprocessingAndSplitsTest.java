package org.creditlab.data;

import org.creditlab.UserError;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessingAndSplitsTest {

    /** n examples of width 4; row i holds i*4 .. i*4+3 scaled by `scale`, label i % 10 (so rows are identifiable). */
    static DataSplit split(int n, float scale, float shift) {
        float[] v = new float[n * 4];
        for (int i = 0; i < v.length; i++) v[i] = i * scale + shift;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        return new DataSplit(Nd4j.create(v, new long[] {n, 4}, 'c'), labels);
    }

    static LoadedDataset dataset(DataSplit train, DataSplit test) {
        return new LoadedDataset("mnist", "full", new long[] {1, 2, 2}, 10, train, test, Map.of(), Path.of("."));
    }

    @Test
    void standardizeUsesTrainStatisticsOnly() {
        DataSplit train = split(50, 0.001f, 0f);
        DataSplit test = split(20, 0.001f, 0.5f); // shifted: its own mean differs from train's
        LoadedDataset s = Preprocessing.scale(dataset(train, test), "standardize");
        assertEquals(0.0, s.train().features().meanNumber().doubleValue(), 1e-5);
        assertEquals(1.0, Math.sqrt(s.train().features().varNumber().doubleValue() * (200 - 1) / 200.0), 1e-4);
        // test is transformed with train's constants, so it is NOT forced to mean 0
        Preprocessing.Stats st = Preprocessing.stats(train);
        double expectedTestMean = (test.features().meanNumber().doubleValue() - st.mean()) / st.std();
        assertEquals(expectedTestMean, s.test().features().meanNumber().doubleValue(), 1e-4);
        assertTrue(expectedTestMean > 1.0, "test mean " + expectedTestMean);
        assertEquals(DataType.FLOAT, s.test().features().dataType());
        // originals untouched
        assertEquals(0.0, train.features().getFloat(0, 0), 0f);
    }

    @Test
    void unitKeepsTheDataAndUnknownModesFail() {
        LoadedDataset d = dataset(split(5, 0.01f, 0f), split(2, 0.01f, 0f));
        assertSame(d, Preprocessing.scale(d, "unit"));
        UserError e = assertThrows(UserError.class, () -> Preprocessing.scale(d, "center"));
        assertEquals("unknown scaling 'center' (known: unit, standardize)", e.getMessage());
    }

    @Test
    void holdOutHasRightSizesIsDisjointAndDeterministic() {
        DataSplit train = split(100, 1f, 0f);
        DataSplit[] a = Splits.holdOut(train, 30, 42);
        DataSplit[] b = Splits.holdOut(train, 30, 42);
        DataSplit[] c = Splits.holdOut(train, 30, 43);
        assertEquals(70, a[0].size());
        assertEquals(30, a[1].size());
        Set<Integer> seen = new HashSet<>();
        for (DataSplit part : a) {
            for (int r = 0; r < part.size(); r++) {
                int id = (int) (part.features().getFloat(r, 0) / 4); // row i starts with 4i
                assertEquals(id % 10, part.labels()[r], "labels travel with their rows");
                assertTrue(seen.add(id), "row " + id + " appears twice");
            }
        }
        assertEquals(100, seen.size());
        assertEquals(a[1].features(), b[1].features());
        assertArrayEquals(a[1].labels(), b[1].labels());
        assertNotEquals(a[1].features(), c[1].features());
        // validation is a spread-out sample, not simply the first rows
        assertTrue(a[1].features().getFloat(29, 0) / 4 > 29);
    }

    @Test
    void holdOutEdgeCases() {
        DataSplit train = split(10, 1f, 0f);
        DataSplit[] none = Splits.holdOut(train, 0, 1);
        assertSame(train, none[0]);
        assertNull(none[1]);
        UserError e = assertThrows(UserError.class, () -> Splits.holdOut(train, 10, 1));
        assertEquals("validation size 10 must be smaller than the training set (10)", e.getMessage());
        assertThrows(UserError.class, () -> Splits.holdOutFirst(train, -1));
    }

    @Test
    void holdOutFirstTakesTheLeadingExamples() {
        DataSplit train = split(10, 1f, 0f);
        DataSplit[] p = Splits.holdOutFirst(train, 3);
        assertArrayEquals(new int[] {0, 1, 2}, p[1].labels());
        assertArrayEquals(new int[] {3, 4, 5, 6, 7, 8, 9}, p[0].labels());
        assertEquals(12f, p[0].features().getFloat(0, 0), 0f);
        assertEquals(Arrays.asList(7L, 4L), Arrays.asList(p[0].features().shape()[0], p[0].features().shape()[1]));
    }
}
