package org.creditlab.experiment;

import java.util.function.Consumer;
import org.creditlab.UserError;
import org.creditlab.data.DataRequest;
import org.creditlab.data.DataSplit;
import org.creditlab.data.Datasets;
import org.creditlab.data.LoadedDataset;
import org.creditlab.data.Preprocessing;
import org.creditlab.data.Splits;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.Losses;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.optim.LearningRateSchedule;
import org.creditlab.optim.Optimizer;
import org.creditlab.optim.Optimizers;
import org.creditlab.rules.LearningRule;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleOptions;
import org.creditlab.rules.RuleRegistry;
import org.creditlab.rules.RuleState;
import org.nd4j.linalg.api.buffer.DataType;

/** Assembles a {@link Trainer.Session} from a resolved {@link RunConfig}: data, network, rule, optimizer. */
public final class Experiment {
    private Experiment() { }

    /** Loads the data the config names and builds the rest. */
    public static Trainer.Session prepare(RunConfig cfg, Consumer<String> warnings) {
        ConfigResolver.validate(cfg);
        ConfigResolver.advice(cfg).forEach(warnings);
        var info = Datasets.info(cfg.dataset);
        MemoryEstimate.check(cfg, info.exampleShape(), info.classes());   // before ND4J allocates anything
        Backend.setThreads(cfg.threads);
        LoadedDataset loaded = Datasets.load(cfg.dataset,
                new DataRequest(cfg.dataDir == null ? null : java.nio.file.Path.of(cfg.dataDir), cfg.download, true, warnings));
        return prepare(cfg, loaded, warnings);
    }

    /** Builds a session on an already loaded dataset (tests, benchmarks, library users). */
    public static Trainer.Session prepare(RunConfig cfg, LoadedDataset loaded) {
        return prepare(cfg, loaded, w -> { });
    }

    /** As {@link #prepare(RunConfig, LoadedDataset)}, telling {@code warnings} what it changed (a clamped batch size). */
    public static Trainer.Session prepare(RunConfig cfg, LoadedDataset loaded, Consumer<String> warnings) {
        ConfigResolver.validate(cfg);
        MemoryEstimate.check(cfg, loaded.exampleShape(), loaded.classes());
        DataType dtype = dtype(cfg);
        LoadedDataset scaled = Preprocessing.scale(loaded, cfg.scaling);
        DataSplit train = scaled.train();
        if (cfg.trainSubset > 0 && cfg.trainSubset < train.size()) {
            train = Splits.holdOutFirst(train, cfg.trainSubset)[1];
        }
        DataSplit validation = null;
        if (cfg.validation > 0) {
            DataSplit[] parts = cfg.validationFrom.equals("first")
                    ? Splits.holdOutFirst(train, cfg.validation)
                    : Splits.holdOut(train, cfg.validation, new RandomStreams(cfg.seed).derive(RandomStreams.Purpose.SPLIT, 0));
            train = parts[0];
            validation = parts[1];
        }
        if (cfg.batchSize > train.size()) {
            // One batch of the whole set; recorded in config.json, so the run says what it did.
            warnings.accept(String.format(java.util.Locale.ROOT, "batch_size %d is larger than the training set (%,d examples): using %d",
                    cfg.batchSize, train.size(), train.size()));
            cfg.batchSize = train.size();
        }
        int classes = scaled.classes();
        TrainingData data = new TrainingData(scaled.name(), scaled.variant(), scaled.exampleShape(), classes,
                TrainingData.Split.of(train, classes, cfg.targetOffset, dtype),
                validation == null ? null : TrainingData.Split.of(validation, classes, cfg.targetOffset, dtype),
                TrainingData.Split.of(scaled.test(), classes, cfg.targetOffset, dtype), scaled.sha256());

        RandomStreams random = new RandomStreams(cfg.seed);
        Network network = networkSpec(cfg, scaled.exampleShape(), classes).build(random.fresh(RandomStreams.Purpose.INIT));
        RuleInfo info = RuleRegistry.get(cfg.rule);
        LearningRule rule = info.create(new RuleOptions(info.name(), cfg.ruleOptions));
        RuleState state = rule.init(network, random.fresh(RandomStreams.Purpose.RULE_INIT));
        Optimizer optimizer = Optimizers.create(cfg.optimizer, cfg.momentum, cfg.adamBeta1, cfg.adamBeta2,
                cfg.adamEps, cfg.weightDecay);
        LearningRateSchedule schedule = new LearningRateSchedule(cfg.lr, cfg.lrMilestones, cfg.lrGamma);
        return new Trainer.Session(cfg, network, rule, state, optimizer, schedule, data, random,
                Provenance.current(cfg.threads, cfg.seed));
    }

    public static NetworkSpec networkSpec(RunConfig cfg, long[] exampleShape, int classes) {
        return new NetworkSpec(cfg.layers != null ? NetworkSpec.CUSTOM : cfg.network, exampleShape, cfg.hidden, classes,
                Activation.parse(cfg.activation), Activation.parse(cfg.outputActivation), Initializer.parse(cfg.init), cfg.bias,
                Losses.byName(cfg.loss), dtype(cfg), cfg.layers, cfg.width);
    }

    static DataType dtype(RunConfig cfg) {
        return switch (cfg.dtype) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new UserError("dtype must be float32 or float64, got " + cfg.dtype);
        };
    }
}
