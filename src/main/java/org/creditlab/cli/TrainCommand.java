package org.creditlab.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
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
import org.creditlab.experiment.RunDirectory;
import org.creditlab.experiment.RunListener;
import org.creditlab.experiment.RunResult;
import org.creditlab.experiment.Trainer;
import org.creditlab.nn.NetworkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code credit train}: one run, written to a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network with a learning rule and write config.json, metrics.jsonl, result.json and curves.png.",
                "Values come from built-in defaults, then the rule's defaults, then --config, then flags and --set.",
                "Exit status: 0 completed, 2 user error, 3 diverged (NaN/inf loss; files so far are kept), 1 internal error."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--rule", paramLabel = "NAME", description = "Learning rule (see 'credit rules'). Default: bp.")
    String rule;
    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist, fmnist, kmnist or cifar10. Default: mnist.")
    String dataset;
    @Option(names = "--network", paramLabel = "KIND", description = "A named network: fc, linfc, fc-ntk, conv, conv-large, lenet, pepita-conv, conv-ntk (see 'credit networks'). Default: fc.")
    String network;
    @Option(names = "--hidden", paramLabel = "W1,W2,...", description = "Hidden layer widths of the fc networks. Default: 500,500.")
    String hidden;
    @Option(names = "--layers", paramLabel = "SPEC", description = "The whole network as a layer spec, e.g. conv32k3,relu,maxpool2,fc10 (see 'credit networks').")
    String layers;
    @Option(names = "--width", paramLabel = "C", description = "Channels of conv, conv-large, pepita-conv and conv-ntk. Default: the network's own.")
    Integer width;
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
            "Its config.json is the config; flags override it (e.g. --epochs to train longer)."})
    Path resume;

    @Override public Integer call() {
        if (resume != null && (config != null || out != null)) {
            throw new UserError("--resume takes the run's own config.json and directory; drop --config/--out");
        }
        RunConfig cfg = ConfigResolver.resolve(resume != null ? resume.resolve("config.json") : config, overrides());
        if (hidden != null && !NetworkSpec.fullyConnectedPreset(cfg)) {
            System.err.println("credit: note: --hidden is ignored: " + (cfg.layers != null ? "layers defines the network"
                    : "network " + cfg.network + " has its own layers"));
        }
        Path dir = resume != null ? resume : out != null ? out : defaultOut(cfg);
        cfg.out = dir.toString();
        Trainer.Session session = Experiment.prepare(cfg, w -> System.err.println("credit: warning: " + w));
        Checkpoint.Position start = resume != null
                ? Checkpoint.restore(session, dir.resolve(Checkpoint.FILE)) : new Checkpoint.Position(0, 0, null);
        if (start.epochsDone() >= cfg.epochs) {
            // Nothing to train: going on would rewrite result.json without any epoch in it.
            throw new UserError("run " + dir + " already has " + start.epochsDone() + " of " + cfg.epochs
                    + " epochs; resume with --epochs N (N > " + start.epochsDone() + ") to train longer");
        }
        List<RunListener> listeners = new ArrayList<>();
        if (!quiet) listeners.add(new ConsoleProgress(System.out, System.console() != null));
        listeners.add(resume != null ? RunDirectory.resuming(dir, start.epochsDone()) : new RunDirectory(dir));
        listeners.add(new CheckpointWriter(session, dir, start.bestTestAccuracy()));
        RunResult r = new Trainer(session, listeners, start).run();
        var f = r.finalMetrics();
        System.out.printf(Locale.ROOT, "%s: test accuracy %s, test loss %s after %d epochs (%.1f s, %.0f samples/s); results in %s%n",
                r.status(), f.testAccuracy() == null ? "n/a" : String.format(Locale.ROOT, "%.2f%%", f.testAccuracy()),
                f.testLoss() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", f.testLoss()),
                f.epochs(), f.wallSeconds(), f.samplesPerSecond(), dir);
        return RunResult.DIVERGED.equals(r.status()) ? CreditMain.DIVERGED : 0;
    }

    ObjectNode overrides() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (rule != null) o.put("rule", rule);
        if (dataset != null) o.put("dataset", dataset);
        if (network != null) o.put("network", network);
        if (hidden != null) o.set("hidden", parseWidths(hidden));
        if (layers != null) o.put("layers", layers);
        if (width != null) o.put("width", width);
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

    static Path defaultOut(RunConfig cfg) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = Path.of("runs", cfg.rule + "-" + cfg.dataset + "-" + stamp);
        Path p = base;
        for (int i = 2; Files.exists(p); i++) p = Path.of(base + "-" + i);
        return p;
    }
}
