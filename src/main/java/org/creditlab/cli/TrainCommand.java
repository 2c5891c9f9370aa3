package org.creditlab.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.creditlab.UserError;
import org.creditlab.experiment.Checkpoint;
import org.creditlab.experiment.CheckpointWriter;
import org.creditlab.experiment.ConfigResolver;
import org.creditlab.experiment.Experiment;
import org.creditlab.experiment.RunConfig;
import org.creditlab.experiment.Resume;
import org.creditlab.experiment.RunDirectory;
import org.creditlab.experiment.RunListener;
import org.creditlab.experiment.RunLock;
import org.creditlab.experiment.RunResult;
import org.creditlab.experiment.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code credit train}: one run, written to a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network with a learning rule and write config.json, metrics.jsonl, result.json and curves.png.",
                "Values come from built-in defaults, then the rule's defaults, then --config, then flags and --set.",
                "Exit status: 0 completed, 2 user error, 3 diverged (NaN/inf loss; files so far are kept), 1 internal error,",
                "130/143 interrupted by SIGINT/SIGTERM (checkpoint and result.json written; continue with --resume)."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--rule", paramLabel = "NAME", description = "Learning rule (see 'credit rules'). Default: bp.")
    String rule;
    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist, fmnist, kmnist or cifar10. Default: mnist.")
    String dataset;
    @Option(names = "--network", paramLabel = "KIND", description = "fc or linfc. Default: fc.")
    String network;
    @Option(names = "--hidden", paramLabel = "W1,W2,...", description = "Hidden layer widths. Default: 500,500.")
    String hidden;
    @Option(names = "--epochs", paramLabel = "N", description = "Default: 10.")
    Integer epochs;
    @Option(names = "--batch-size", paramLabel = "B", description = "Default: 100.")
    Integer batchSize;
    @Option(names = "--lr", paramLabel = "ETA", description = "Learning rate. Default: 0.1 (rules may set their own).")
    Double lr;
    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, momentum or adam. Default: sgd.")
    String optimizer;
    @Option(names = "--seed", paramLabel = "S", description = "Fixes every random draw. Default: 1.")
    Long seed;
    @Option(names = "--threads", paramLabel = "T", description = "ND4J/BLAS threads. Default: 1.")
    Integer threads;
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory. Default: runs/<rule>-<dataset>-<time>.")
    Path out;
    @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (keys as in config.json).")
    Path config;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any config key or rule option, e.g. --set weight_decay=1e-4 --set sigma=1e-5.")
    List<String> sets = new ArrayList<>();
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Look for the dataset here first.")
    Path dataDir;
    @Option(names = "--activation", paramLabel = "FN", description = "Hidden activation: relu, tanh, sigmoid, linear.")
    String activation;
    @Option(names = "--loss", paramLabel = "NAME", description = "ce or mse.")
    String loss;
    @Option(names = "--validation", paramLabel = "N", description = "Hold out N training examples for validation.")
    Integer validation;
    @Option(names = "--weight-decay", paramLabel = "WD", description = "Decoupled weight decay per step.")
    Double weightDecay;
    @Option(names = "--no-download", description = "Never download a missing dataset.")
    boolean noDownload;
    @Option(names = "--quiet", description = "Only the final line.")
    boolean quiet;
    @Option(names = "--resume", paramLabel = "RUN_DIR", description = {"Continue a run from its last checkpoint, bit for bit as if it had not stopped.",
            "Its config.json is the config; only epochs, threads, data_dir and download may change (e.g. --epochs to train longer)."})
    Path resume;
    @Option(names = "--overwrite", description = "Replace the run already in --out (refused otherwise; a directory in use by a live run is always refused).")
    boolean overwrite;
    @Option(names = "--resume-diverged", description = "With --resume: continue a run whose status is diverged (refused otherwise).")
    boolean resumeDiverged;

    @Override public Integer call() {
        if (resume != null && (config != null || out != null)) {
            throw new UserError("--resume takes the run's own config.json and directory; drop --config/--out");
        }
        if (resume != null && overwrite) throw new UserError("--overwrite starts a new run; --resume continues one: use one of them");
        if (resumeDiverged && resume == null) throw new UserError("--resume-diverged goes with --resume RUN_DIR");
        RunConfig cfg;
        Resume.Plan plan = null;
        RunLock lock;
        if (resume != null) {
            lock = RunDirectory.claimForResume(resume);
            try {
                plan = Resume.plan(resume, overrides(), resumeDiverged);
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
            cfg = plan.config();
        } else {
            cfg = ConfigResolver.resolve(config, overrides());
            lock = out != null ? RunDirectory.claimNew(out, overwrite, config) : RunDirectory.claimUnique(defaultBase(cfg));
        }
        try (StopOnSignal signals = StopOnSignal.install(); lock) {
            Path dir = lock.dir();
            cfg.out = dir.toString();
            Trainer.Session session = Experiment.prepare(cfg, w -> System.err.println("credit: warning: " + w));
            Checkpoint.Position start = Checkpoint.Position.START;
            if (plan != null) {
                Resume.checkSameData(plan, session.data());
                start = Checkpoint.restore(session, dir.resolve(Checkpoint.FILE));
            }
            // A run killed after its last checkpoint but before result.json said so is finished by resuming it
            // (no epoch to train; the result is written from the metrics); a finished run has nothing to do.
            boolean unfinished = plan != null && (plan.previousStatus() == null || RunResult.RUNNING.equals(plan.previousStatus()));
            if (start.epochsDone() >= cfg.epochs && !(unfinished && start.epochsDone() == cfg.epochs)) {
                // Nothing to train: going on would rewrite result.json without any epoch in it.
                throw new UserError("run " + dir + " already has " + start.epochsDone() + " of " + cfg.epochs
                        + " epochs; resume with --epochs N (N > " + start.epochsDone() + ") to train longer");
            }
            RunDirectory files = plan != null ? RunDirectory.resuming(dir, start, Resume.event(plan, start)) : new RunDirectory(dir);
            List<RunListener> listeners = new ArrayList<>();
            listeners.add(files);
            listeners.add(new CheckpointWriter(session, dir));
            // Last, so that an epoch shown on the console is already on disk.
            if (!quiet) listeners.add(new ConsoleProgress(System.out, System.console() != null));
            Trainer trainer = new Trainer(session, listeners, start).continuing(files.lastEpoch());
            signals.attach(trainer);
            RunResult r = trainer.run();
            var f = r.finalMetrics();
            System.out.printf(Locale.ROOT, "%s: test accuracy %s, test loss %s after %d epochs (%.1f s, %.0f samples/s); results in %s%n",
                    r.status(), f.testAccuracy() == null ? "n/a" : String.format(Locale.ROOT, "%.2f%%", f.testAccuracy()),
                    f.testLoss() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", f.testLoss()),
                    f.epochs(), f.wallSeconds(), f.samplesPerSecond(), dir);
            return switch (r.status()) {
                case RunResult.DIVERGED -> CreditMain.DIVERGED;
                // A signal's exit status (130 or 143) is the JVM's once the hook returns; this is for a stop
                // requested in-process.
                case RunResult.INTERRUPTED -> CreditMain.INTERRUPTED_SIGTERM;
                default -> 0;
            };
        }
    }

    ObjectNode overrides() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (rule != null) o.put("rule", rule);
        if (dataset != null) o.put("dataset", dataset);
        if (network != null) o.put("network", network);
        if (hidden != null) o.set("hidden", parseWidths(hidden));
        if (epochs != null) o.put("epochs", epochs);
        if (batchSize != null) o.put("batch_size", batchSize);
        if (lr != null) o.put("lr", lr);
        if (optimizer != null) o.put("optimizer", optimizer);
        if (seed != null) o.put("seed", seed);
        if (threads != null) o.put("threads", threads);
        if (dataDir != null) o.put("data_dir", dataDir.toString());
        if (activation != null) o.put("activation", activation);
        if (loss != null) o.put("loss", loss);
        if (validation != null) o.put("validation", validation);
        if (weightDecay != null) o.put("weight_decay", weightDecay);
        if (noDownload) o.put("download", false);
        for (String s : sets) ConfigResolver.applySet(o, s);
        return o;
    }

    static com.fasterxml.jackson.databind.node.ArrayNode parseWidths(String text) {
        var arr = JsonNodeFactory.instance.arrayNode();
        if (text.isBlank() || text.equals("none")) return arr;
        for (String part : text.split(",")) {
            try {
                int w = Integer.parseInt(part.trim());
                if (w <= 0) throw new NumberFormatException();
                arr.add(w);
            } catch (NumberFormatException e) {
                throw new UserError("--hidden expects positive integers separated by commas, e.g. 500,500; got '" + text + "'");
            }
        }
        return arr;
    }

    /** runs/&lt;rule&gt;-&lt;dataset&gt;-&lt;time&gt;; {@link RunDirectory#claimUnique} adds -2, -3, ... if it is taken. */
    static Path defaultBase(RunConfig cfg) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", cfg.rule + "-" + cfg.dataset + "-" + stamp);
    }
}
