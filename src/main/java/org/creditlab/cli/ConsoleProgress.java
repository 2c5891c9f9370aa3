package org.creditlab.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.creditlab.experiment.EpochMetrics;
import org.creditlab.experiment.RunListener;
import org.creditlab.experiment.RunResult;

/**
 * A progress bar per epoch on a terminal (examples per second and ETA). Otherwise (logs, CI, pipes, Slurm
 * output files) one line per epoch, plus a line with the rate and the epoch's ETA every
 * {@link #LOG_INTERVAL_NANOS} within long epochs (an online rule such as sdd takes many minutes per epoch).
 */
final class ConsoleProgress implements RunListener {
    static final long LOG_INTERVAL_NANOS = 30_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private ProgressBar bar;
    private int epochs;
    private int batchSize;
    private long epochStart = -1;
    private long lastLog;

    ConsoleProgress(PrintStream out, boolean terminal) {
        this(out, terminal, System::nanoTime);
    }

    ConsoleProgress(PrintStream out, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    @Override public void onStart(RunInfo run) {
        epochs = run.config().epochs;
        batchSize = run.config().batchSize;
        var d = run.data();
        out.printf(Locale.ROOT, "%s on %s (%s, %d train / %s%d test), network %s, %,d parameters%n",
                run.config().rule, d.dataset(), d.variant(), d.train().size(),
                d.validation() == null ? "" : d.validation().size() + " validation / ", d.test().size(),
                run.networkDescription(), run.parameters());
    }

    @Override public void onStep(long step, int epoch, int batch, int batchesPerEpoch, double loss) {
        if (!terminal) {
            logPeriodically(epoch, batch, batchesPerEpoch, loss);
            return;
        }
        if (bar == null) {
            // counted in examples, so the speed reads examples/s whatever the batch size
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                    .setInitialMax((long) batchesPerEpoch * batchSize).setStyle(ProgressBarStyle.ASCII).setUnit(" ex", 1)
                    .setUpdateIntervalMillis(250).showSpeed().continuousUpdate().build();
        }
        bar.stepTo((long) (batch + 1) * batchSize);
        bar.setExtraMessage(String.format(Locale.ROOT, "  loss %.4f", loss));   // the bar prints it right after "ex/s"
    }

    private void logPeriodically(int epoch, int batch, int batchesPerEpoch, double loss) {
        long now = clock.getAsLong();
        if (batch == 0 || epochStart < 0) {
            epochStart = now;
            lastLog = now;
            return;
        }
        if (now - lastLog < LOG_INTERVAL_NANOS || batch + 1 >= batchesPerEpoch) return;
        lastLog = now;
        double seconds = (now - epochStart) / 1e9;
        double perSecond = batch * (double) batchSize / seconds;   // batches 1..batch finished since batch 0
        double eta = (batchesPerEpoch - batch - 1) * (double) batchSize / perSecond;
        out.printf(Locale.ROOT, "epoch %d/%d  %,d/%,d examples  %,.0f ex/s  epoch ETA %s  loss %.4f%n", epoch + 1, epochs,
                (long) (batch + 1) * batchSize, (long) batchesPerEpoch * batchSize, perSecond, duration(eta), loss);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    @Override public void onEpoch(EpochMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f", m.epoch(), epochs, m.trainLoss()));
        if (m.trainAccuracy() != null) sb.append(String.format(Locale.ROOT, "  train acc %.2f%%", m.trainAccuracy()));
        sb.append(String.format(Locale.ROOT, "  test loss %.4f  test acc %.2f%%", m.testLoss(), m.testAccuracy()));
        if (m.validationAccuracy() != null) {
            sb.append(String.format(Locale.ROOT, "  val acc %.2f%%", m.validationAccuracy()));
        }
        // the run's time so far (training and evaluation), not the epoch's own
        sb.append(String.format(Locale.ROOT, "  (%.1f s elapsed)", m.seconds()));
        out.println(sb);
    }

    @Override public void onEnd(RunResult r) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (r.message() != null) out.println(r.status() + ": " + r.message());
    }
}
