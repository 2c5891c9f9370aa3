package org.creditlab.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.creditlab.experiment.EpochMetrics;
import org.creditlab.experiment.RunListener;
import org.creditlab.experiment.RunResult;

/** A progress bar per epoch on a terminal; one plain line per epoch otherwise (logs, CI, pipes). */
final class ConsoleProgress implements RunListener {
    private final PrintStream out;
    private final boolean terminal;
    private ProgressBar bar;
    private int epochs;

    ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override public void onStart(RunInfo run) {
        epochs = run.config().epochs;
        var d = run.data();
        out.printf(Locale.ROOT, "%s on %s (%s, %d train / %s%d test), network %s, %,d parameters%n",
                run.config().rule, d.dataset(), d.variant(), d.train().size(),
                d.validation() == null ? "" : d.validation().size() + " validation / ", d.test().size(),
                run.networkDescription(), run.parameters());
    }

    @Override public void onStep(long step, int epoch, int batch, int batchesPerEpoch, double loss) {
        if (!terminal) return;
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                    .setInitialMax(batchesPerEpoch).setStyle(ProgressBarStyle.ASCII).setUnit(" batches", 1)
                    .setUpdateIntervalMillis(250).showSpeed().continuousUpdate().build();
        }
        bar.stepTo(batch + 1);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
    }

    @Override public void onEpoch(EpochMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f  test loss %.4f  test acc %.2f%%",
                m.epoch(), epochs, m.trainLoss(), m.testLoss(), m.testAccuracy()));
        if (m.validationAccuracy() != null) {
            sb.append(String.format(Locale.ROOT, "  val acc %.2f%%", m.validationAccuracy()));
        }
        sb.append(String.format(Locale.ROOT, "  (%.1f s)", m.seconds()));
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
