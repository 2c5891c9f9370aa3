package org.creditlab.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
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
import org.creditlab.experiment.ConfigKeys;
import org.creditlab.experiment.CheckpointWriter;
import org.creditlab.experiment.ConfigResolver;
import org.creditlab.experiment.Experiment;
import org.creditlab.experiment.RunConfig;
import org.creditlab.experiment.RunDirectory;
import org.creditlab.experiment.RunListener;
import org.creditlab.experiment.RunResult;
import org.creditlab.experiment.Trainer;
import org.creditlab.nn.NetworkSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code credit train}: one run, written to a run directory. The flags that set config keys (--epochs, --lr,
 * --network, ...) are not declared here but built from the keys' declarations ({@link ConfigKeys}, see
 * {@link #declareKeyFlags}), as is the key list at the end of {@code --help}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network with a learning rule and write config.json, metrics.jsonl, result.json and curves.png.",
                "Values come from built-in defaults, then the rule's defaults, then --config, then flags and --set;"
                        + " a repeated flag takes its last value.",
                "Exit status: 0 completed, 2 user error (bad input, unwritable output, full disk), 3 diverged (NaN/inf loss"
                        + " or above loss_ceiling; files so far are kept), 1 internal error."})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", order = 100, description = "Run directory. Default: runs/<rule>-<dataset>-<time>.")
    Path out;
    @Option(names = "--config", paramLabel = "FILE", order = 101, description = "JSON config file (keys as in config.json).")
    Path config;
    @Option(names = "--set", paramLabel = "KEY=VALUE", order = 102,
            description = "Any config key (listed below) or rule option ('credit rules RULE'), e.g. --set weight_decay=1e-4 --set sigma=1e-5.")
    List<String> sets = new ArrayList<>();
    @Option(names = "--quiet", order = 103, description = "Only the final line.")
    boolean quiet;
    @Option(names = "--resume", paramLabel = "RUN_DIR", order = 104, description = {"Continue a run from its last checkpoint, bit for bit as if it had not stopped.",
            "Its config.json is the config; flags override it (e.g. --epochs to train longer)."})
    Path resume;

    /** Adds a flag for every config key that declares one, and the key list as the help's last section. */
    static void declareKeyFlags(CommandLine train) {
        CommandSpec spec = train.getCommandSpec();
        int order = 0;
        for (ConfigKeys.KeyInfo k : ConfigKeys.withFlags()) {
            String allowed = k.allowed();
            String doc = k.isSwitch() ? "Sets " + k.name() + " to false (" + k.doc() + ")."
                    : Character.toUpperCase(k.doc().charAt(0)) + k.doc().substring(1)
                            + (k.type() == ConfigKeys.Type.STRING && !allowed.isEmpty() ? "; one of " + allowed : "")
                            + ". Default: " + k.defaultText() + ".";
            OptionSpec.Builder b = OptionSpec.builder(k.flag()).order(order++).description(doc.replace("%", "%%"));
            if (k.isSwitch()) {
                b.arity("0").type(boolean.class);
            } else {
                b.arity("1").type(String.class).paramLabel(k.label());
            }
            spec.addOption(b.build());
        }
        String keys = String.format("%nConfig keys (in a --config file, or --set KEY=VALUE; 'credit rules RULE' lists a rule's options):%n")
                + ConfigKeys.helpText();
        train.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> keys);
    }

    @Override public Integer call() {
        if (resume != null && (config != null || out != null)) {
            throw new UserError("--resume takes the run's own config.json and directory; drop --config/--out");
        }
        RunConfig cfg = ConfigResolver.resolve(resume != null ? resume.resolve("config.json") : config, overrides());
        if (spec.commandLine().getParseResult().hasMatchedOption("--hidden") && !NetworkSpec.fullyConnectedPreset(cfg)) {
            System.err.println("credit: note: --hidden is ignored: " + (cfg.layers != null ? "layers defines the network"
                    : "network " + cfg.network + " has its own layers"));
        }
        Path dir = resume != null ? resume : out != null ? out : defaultOut(cfg);
        cfg.out = dir.toString();
        OutputPaths.checkDirectory(dir, resume != null ? "--resume" : "--out");   // before any data is read or memory allocated
        PrintWriter err = spec.commandLine().getErr();
        Trainer.Session session = Experiment.prepare(cfg, w -> {
            err.println("credit: warning: " + w);
            err.flush();
        });
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

    /** The command line's config values: key flags first, then every --set in order (later ones win). */
    ConfigResolver.Overrides overrides() {
        ConfigResolver.Overrides o = new ConfigResolver.Overrides();
        ParseResult parsed = spec.commandLine().getParseResult();
        for (ConfigKeys.KeyInfo k : ConfigKeys.withFlags()) {
            if (!parsed.hasMatchedOption(k.flag())) continue;
            if (k.isSwitch()) {
                o.put(k.name(), JsonNodeFactory.instance.booleanNode(!(Boolean) k.defaultValue()), k.flag());
            } else {
                o.flag(k.name(), k.flag(), parsed.matchedOptionValue(k.flag(), ""));
            }
        }
        for (String s : sets) o.set(s);
        return o;
    }

    static Path defaultOut(RunConfig cfg) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = Path.of("runs", cfg.rule + "-" + cfg.dataset + "-" + stamp);
        Path p = base;
        for (int i = 2; Files.exists(p); i++) p = Path.of(base + "-" + i);
        return p;
    }
}
