package org.creditlab.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines a run. Read from JSON (snake_case keys) with CLI flags layered on top by
 * {@link ConfigResolver}; written back fully resolved as the run's {@code config.json}.
 * Public fields keep the JSON and the Java names one-to-one. Every field is a config key declared by its
 * {@link Key} annotation (doc, range or choices, flag): {@link ConfigKeys} reads them, so the checks, the
 * help and the README's key table cannot drift from the field. A new key is one annotated field.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder(alphabetic = false)
public final class RunConfig {
    @Key(doc = "learning rule (see 'credit rules')", flag = "--rule", label = "NAME", choicesFrom = Choices.RULE)
    public String rule = "bp";
    @Key(doc = "the rule's own options, e.g. {\"sigma\": 1e-5} (see 'credit rules RULE'; --set NAME=VALUE)")
    public Map<String, Object> ruleOptions = new LinkedHashMap<>();

    @Key(doc = "dataset", flag = "--dataset", label = "NAME", choicesFrom = Choices.DATASET)
    public String dataset = "mnist";
    @Key(doc = "folder to look for the dataset in first (the folder or its <name> subfolder)", flag = "--data-dir",
            label = "DIR", nullable = true)
    public String dataDir = null;
    @Key(doc = "whether a missing dataset may be downloaded from its public mirrors", flag = "--no-download")
    public boolean download = true;
    @Key(doc = "input scaling: unit = pixels in [0,1], standardize = training set's mean and std", choicesFrom = Choices.SCALING)
    public String scaling = "unit";
    @Key(doc = "training examples held out as a validation split (0 = none)", flag = "--validation", label = "N", min = 0)
    public int validation = 0;
    @Key(doc = "how the validation examples are chosen: random (seeded) or the first N (Boopathy & Fiete)",
            choices = {"random", "first"})
    public String validationFrom = "random";
    @Key(doc = "use only the first N training examples (0 = all)", min = 0)
    public int trainSubset = 0;

    @Key(doc = "a named network (see 'credit networks'), or custom when layers gives the network", flag = "--network",
            label = "KIND", choicesFrom = Choices.NETWORK)
    public String network = "fc";
    @Key(doc = "hidden layer widths of the fc networks ('none' or [] for no hidden layer)", flag = "--hidden",
            label = "W1,W2,...", min = 1)
    public List<Integer> hidden = new ArrayList<>(List.of(500, 500));
    @Key(doc = "the whole network as a layer spec, e.g. conv32k3,relu,maxpool2,fc10 (see 'credit networks')",
            flag = "--layers", label = "SPEC", nullable = true, allowEmpty = false)
    public String layers = null;
    @Key(doc = "channels of conv, conv-large, pepita-conv and conv-ntk (0 = the network's own)", flag = "--width",
            label = "C", min = 0)
    public int width = 0;
    @Key(doc = "hidden layers' activation", flag = "--activation", label = "FN", choicesFrom = Choices.HIDDEN_ACTIVATION)
    public String activation = "relu";
    @Key(doc = "output layer's activation", choicesFrom = Choices.ACTIVATION)
    public String outputActivation = "softmax";
    @Key(doc = "loss: ce = softmax cross-entropy, mse = mean squared error over the outputs", flag = "--loss",
            label = "NAME", choicesFrom = Choices.LOSS)
    public String loss = "ce";
    @Key(doc = "weight initialiser (biases start at 0)", choicesFrom = Choices.INIT)
    public String init = "xavier-normal";
    @Key(doc = "whether layers have biases")
    public boolean bias = true;
    @Key(doc = "targets are one-hot minus this (Boopathy & Fiete use 0.1)", min = 0, max = 1, maxOpen = true)
    public double targetOffset = 0.0;
    @Key(doc = "parameter dtype", choices = {"float32", "float64"})
    public String dtype = "float32";

    @Key(doc = "training epochs", flag = "--epochs", label = "N", min = 1)
    public int epochs = 10;
    @Key(doc = "training batch size (larger than the training set: clamped to it, with a warning)", flag = "--batch-size",
            label = "B", min = 1)
    public int batchSize = 100;
    @Key(doc = "learning rate (rules may set their own)", flag = "--lr", label = "ETA", min = 0, minOpen = true)
    public double lr = 0.1;
    @Key(doc = "optimizer", flag = "--optimizer", label = "NAME", choicesFrom = Choices.OPTIMIZER)
    public String optimizer = "sgd";
    @Key(doc = "momentum coefficient of the momentum optimizer", min = 0, max = 1, maxOpen = true)
    public double momentum = 0.9;
    @Key(doc = "Adam's first-moment decay", min = 0, max = 1, maxOpen = true)
    public double adamBeta1 = 0.9;
    @Key(doc = "Adam's second-moment decay", min = 0, max = 1, maxOpen = true)
    public double adamBeta2 = 0.999;
    @Key(doc = "Adam's epsilon", min = 0, minOpen = true)
    public double adamEps = 1e-8;
    @Key(doc = "decoupled weight decay: W <- W - wd*W each step, not multiplied by lr", flag = "--weight-decay",
            label = "WD", min = 0, max = 1, maxOpen = true)
    public double weightDecay = 0.0;
    @Key(doc = "epochs (0-based) at whose start lr is multiplied by lr_gamma", min = 0)
    public List<Integer> lrMilestones = new ArrayList<>();
    @Key(doc = "factor applied to lr at each milestone", min = 0, minOpen = true)
    public double lrGamma = 0.1;

    @Key(doc = "fixes every random draw of the run", flag = "--seed", label = "S")
    public long seed = 1;
    @Key(doc = "cores for the matrix products and convolutions (element-wise ops run on one), at most max(256, processors); results are bit-identical at a fixed count",
            flag = "--threads", label = "T", min = 1, maxFrom = "maxThreads")
    public int threads = 1;
    @Key(doc = "batch size of evaluation passes", min = 1)
    public int evalBatchSize = 1000;
    @Key(doc = "training examples (the first N) evaluated after each epoch for train_accuracy (0 = none)", min = 0)
    public int trainAccuracyExamples = 10000;
    @Key(doc = "the run directory, recorded by credit train (set it with --out; a config file's value is not reused)", nullable = true)
    public String out = null;
    @Key(doc = "log alignment with the backprop gradient every N steps (0 = off)", min = 0)
    public int diagnosticsEvery = 0;
    @Key(doc = "a crash event is test accuracy falling this many points below its running maximum", min = 0,
            minOpen = true, max = 100)
    public double crashThreshold = 25.0;
    @Key(doc = "a training loss above this ends the run as diverged (exit 3), as NaN or infinity does", min = 0,
            minOpen = true)
    public double lossCeiling = 1e6;

    /** The upper bound of {@code threads}: more than this only oversubscribes (and 10,000 crashed OpenMP). */
    public static int maxThreads() {
        return Math.max(256, Runtime.getRuntime().availableProcessors());
    }
}
