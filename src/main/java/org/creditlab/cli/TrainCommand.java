package org.creditlab.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
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
import org.creditlab.experiment.Resume;
import org.creditlab.experiment.RunDirectory;
import org.creditlab.experiment.RunListener;
import org.creditlab.experiment.RunLock;
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
                        + " or above loss_ceiling; files so far are kept), 1 internal error,",
                "130/143 interrupted by SIGINT/SIGTERM (checkpoint and result.json written; continue with --resume)."})
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
            "Its config.json is the config; only epochs, threads, data_dir and download may change (e.g. --epochs to train longer)."})
    Path resume;
    @Option(names = "--overwrite", order = 105,
            description = "Replace the run already in --out (refused otherwise; a directory in use by a live run is always refused).")
    boolean overwrite;
    @Option(names = "--resume-diverged", order = 106, description = "With --resume: continue a run whose status is diverged (refused otherwise).")
    boolean resumeDiverged;

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
        if (resume != null && overwrite) throw new UserError("--overwrite starts a new run; --resume continues one: use one of them");
        if (resumeDiverged && resume == null) throw new UserError("--resume-diverged goes with --resume RUN_DIR");
        if (out != null && out.toString().isBlank()) throw new UserError("--out must name a directory, got an empty path");
        RunConfig cfg;
        Resume.Plan plan = null;
        RunLock lock;
        if (resume != null) {
            if (!resume.toString().isBlank()) OutputPaths.checkDirectory(resume, "--resume");
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
            Path dir = out != null ? out : defaultBase(cfg);
            OutputPaths.checkDirectory(dir, "--out");   // before any data is read or memory allocated
            lock = out != null ? RunDirectory.claimNew(out, overwrite, config) : RunDirectory.claimUnique(dir);
        }
        try (StopOnSignal signals = StopOnSignal.install(); lock) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--hidden") && !NetworkSpec.fullyConnectedPreset(cfg)) {
                System.err.println("credit: note: --hidden is ignored: " + (cfg.layers != null ? "layers defines the network"
                        : "network " + cfg.network + " has its own layers"));
            }
            Path dir = lock.dir();
            cfg.out = dir.toString();
            PrintWriter err = spec.commandLine().getErr();
            Trainer.Session session = Experiment.prepare(cfg, w -> {
                err.println("credit: warning: " + w);
                err.flush();
            });
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

    /** runs/&lt;rule&gt;-&lt;dataset&gt;-&lt;time&gt;; {@link RunDirectory#claimUnique} adds -2, -3, ... if it is taken. */
    static Path defaultBase(RunConfig cfg) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", cfg.rule + "-" + cfg.dataset + "-" + stamp);
    }
}
