package org.creditlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.creditlab.experiment.RunConfig;
import org.creditlab.experiment.RunListener.RunInfo;
import org.creditlab.experiment.TrainingData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ConsoleProgressTest {

    @Test void logsRateAndEtaEveryIntervalWhenNotOnATerminal() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, () -> now[0]);
        RunConfig config = new RunConfig();
        config.epochs = 2;
        config.batchSize = 4;
        TrainingData.Split split = new TrainingData.Split(Nd4j.zeros(DataType.FLOAT, 1, 1), Nd4j.zeros(DataType.FLOAT, 1, 1), new int[1]);
        progress.onStart(new RunInfo(config, "1-1", 2, new TrainingData("d", "v", new long[] {1}, 1, split, null, split, Map.of()), 1000));
        // 1,000 batches of 4; batch b finishes at b × 100 ms: 40 examples/s, a line at 30 s, 60 s and 90 s
        for (int b = 0; b < 1000; b++) {
            now[0] = b * 100_000_000L;
            progress.onStep(b, 0, b, 1000, 0.5);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(1 + 3, lines.length, String.join("\n", lines));
        assertEquals("epoch 1/2  1,204/4,000 examples  40 ex/s  epoch ETA 1m10s  loss 0.5000", lines[1]);
        assertTrue(lines[3].startsWith("epoch 1/2  3,604/4,000 examples  40 ex/s  epoch ETA 10s"), lines[3]);
    }
}
