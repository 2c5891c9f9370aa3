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
 * Public fields keep the JSON and the Java names one-to-one; {@link ConfigResolver#validate} checks them.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder(alphabetic = false)
public final class RunConfig {
    /** Learning rule name (see {@code credit rules}). */
    public String rule = "bp";
    /** The rule's own settings, e.g. {"sigma": 1e-4}. */
    public Map<String, Object> ruleOptions = new LinkedHashMap<>();

    /** mnist, fmnist, kmnist or cifar10. */
    public String dataset = "mnist";
    /** Directory to look for the dataset in first (--data-dir). */
    public String dataDir = null;
    /** Whether a missing dataset may be downloaded from its public mirrors. */
    public boolean download = true;
    /** Input scaling: "unit" ([0,1]) or "standardize" (train mean and std). */
    public String scaling = "unit";
    /** Number of training examples held out for validation (0 = none). */
    public int validation = 0;
    /** How the validation examples are chosen: "random" (seeded) or "first" (Boopathy & Fiete). */
    public String validationFrom = "random";
    /** Use only the first N training examples (0 = all): quick runs and tests. */
    public int trainSubset = 0;

    /** A named network (see {@code credit networks}), or "custom" when {@code layers} gives the network. */
    public String network = "fc";
    /** Hidden layer widths of the fc networks. */
    public List<Integer> hidden = new ArrayList<>(List.of(500, 500));
    /** The whole network as a layer spec, e.g. "conv32k3,relu,maxpool2,fc10" (null: the named network). */
    public String layers = null;
    /** Channel count of the conv presets that take one (conv, conv-large, pepita-conv, conv-ntk); 0 = the preset's. */
    public int width = 0;
    /** Hidden activation: relu, tanh, sigmoid, linear. */
    public String activation = "relu";
    /** Output activation: softmax, sigmoid, linear, ... */
    public String outputActivation = "softmax";
    /** Loss: ce (softmax cross-entropy) or mse (mean over outputs). */
    public String loss = "ce";
    /** Weight initialiser: xavier-normal, xavier-uniform, he-uniform, he-normal, normal. */
    public String init = "xavier-normal";
    /** Whether layers have biases. */
    public boolean bias = true;
    /** Targets are onehot − target_offset (Boopathy & Fiete use 0.1). */
    public double targetOffset = 0.0;
    /** Parameter dtype: float32 or float64. */
    public String dtype = "float32";

    public int epochs = 10;
    public int batchSize = 100;
    public double lr = 0.1;
    /** sgd, momentum or adam. */
    public String optimizer = "sgd";
    public double momentum = 0.9;
    public double adamBeta1 = 0.9;
    public double adamBeta2 = 0.999;
    public double adamEps = 1e-8;
    /** Decoupled weight decay: W ← W − wd·W each step (not multiplied by lr). */
    public double weightDecay = 0.0;
    /** Epochs (0-based) at whose start lr is multiplied by lr_gamma. */
    public List<Integer> lrMilestones = new ArrayList<>();
    public double lrGamma = 0.1;

    /** One seed fixes every random draw of the run. */
    public long seed = 1;
    /** Threads for ND4J and BLAS; results are bit-identical at a fixed thread count. */
    public int threads = 1;
    /** Batch size for evaluation passes. */
    public int evalBatchSize = 1000;
    /** Output directory (default runs/&lt;rule&gt;-&lt;dataset&gt;-&lt;time&gt;). */
    public String out = null;
    /** Log alignment with the backprop gradient every N steps (0 = off). */
    public int diagnosticsEvery = 0;
    /** A "crash" is test accuracy falling this many points below its running maximum. */
    public double crashThreshold = 25.0;
}
