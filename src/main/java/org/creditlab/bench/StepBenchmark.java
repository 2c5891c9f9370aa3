package org.creditlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.creditlab.UserError;
import org.creditlab.experiment.Backend;
import org.creditlab.nn.Activation;
import org.creditlab.nn.Initializer;
import org.creditlab.nn.JvmRandom;
import org.creditlab.nn.MatMul;
import org.creditlab.nn.Network;
import org.creditlab.nn.NetworkSpec;
import org.creditlab.nn.Param;
import org.creditlab.nn.ProductGradient;
import org.creditlab.nn.SoftmaxCrossEntropy;
import org.creditlab.optim.Optimizer;
import org.creditlab.optim.Sgd;
import org.creditlab.rules.Batch;
import org.creditlab.rules.LearningRule;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleOptions;
import org.creditlab.rules.RuleRegistry;
import org.creditlab.rules.RuleState;
import org.creditlab.rules.StepContext;
import org.creditlab.rules.Updates;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throughput of one training step (rule.compute + plain SGD apply + rule.afterStep) for every learning
 * rule on a network (a fully connected 784-...-10 one, a named conv network or a layer spec; relu, softmax +
 * cross-entropy, float32), on synthetic data held in memory, next to DL4J's own MultiLayerNetwork doing
 * backprop on the same architecture and batch ({@link Dl4jNetworks}), and, for fc networks, the raw sgemm
 * speed of the step's matrix products.
 *
 * <p>Method: warm up (until the JVM has compiled the step, see {@link #DEFAULT_WARMUP_STEPS}), then {@code repeats}
 * timed blocks of {@code steps} steps each; the median block gives the reported samples/s and the slowest and
 * fastest blocks the range. Everything is single-process and
 * sequential, so the rules and DL4J see the same JIT, the same BLAS and the same thread count.
 */
public final class StepBenchmark {
    public static final int CLASSES = 10;
    /** How many distinct synthetic batches the loop cycles through. */
    private static final int DATA_BATCHES = 8;
    private static final double LR = 0.01;
    /**
     * Untimed steps per candidate before timing. The JVM compiles a step's Java side over its first several hundred
     * steps: bp on fc 1024 at batch 64 ran 2.07 ms per step over its first 100 steps and 1.34–1.43 from step 1,000 on
     * (LeNet, batch 100: 9.4 ms, then 6.5–6.8 from step ~750), so a short warm-up timed mostly the compilation.
     */
    public static final int DEFAULT_WARMUP_STEPS = 1000;
    /**
     * The longest a candidate warms up: enough for LeNet's 1,000 steps (at 5 s it stopped after ~550 and the JVM was
     * still compiling during the timed blocks: process CPU 1.5× the wall time); a slow step (a CIFAR conv net at
     * ~70 ms) is long past compiling by then.
     */
    public static final double DEFAULT_WARMUP_SECONDS = 15.0;

    /**
     * What to measure.
     *
     * @param hidden    hidden widths of the fc network, e.g. [1024] or [500, 500]
     * @param batchSize examples per step
     * @param threads   ND4J / BLAS threads
     * @param warmup    untimed steps before measuring (per candidate), cut short after {@code warmupSeconds}
     * @param warmupSeconds the longest a candidate warms up
     * @param repeats   timed blocks
     * @param steps     steps per timed block
     * @param rules     rule names (registry names or aliases)
     * @param dl4j      whether to measure DL4J's MultiLayerNetwork.fit as well (workspaces on and off)
     * @param gemm      whether to measure the raw matrix products of one backprop step
     * @param workspace whether to also time bp with its step inside an ND4J workspace ("bp+ws")
     * @param seed      seed of the data and the initial weights
     */
    public record Settings(List<Integer> hidden, int batchSize, int threads, int warmup, double warmupSeconds,
                           int repeats, int steps, List<String> rules, boolean dl4j, boolean gemm, boolean workspace, long seed,
                           String networkKind, String layers, long[] inputShape) {
        public Settings {
            hidden = List.copyOf(hidden);
            rules = List.copyOf(rules);
            inputShape = inputShape.clone();
            if (networkKind.equals("fc") && hidden.isEmpty()) throw new UserError("bench: give at least one hidden width");
            for (int h : hidden) if (h <= 0) throw new UserError("bench: hidden widths must be positive, got " + h);
            if (batchSize <= 0) throw new UserError("bench: batch size must be positive, got " + batchSize);
            if (threads <= 0) throw new UserError("bench: threads must be positive, got " + threads);
            if (warmup < 0) throw new UserError("bench: warmup must be >= 0, got " + warmup);
            if (!(warmupSeconds >= 0)) throw new UserError("bench: warmup seconds must be >= 0, got " + warmupSeconds);
            if (repeats <= 0) throw new UserError("bench: repeats must be positive, got " + repeats);
            if (steps <= 0) throw new UserError("bench: steps must be positive, got " + steps);
            for (String r : rules) RuleRegistry.get(r); // unknown rule -> UserError
            if (layers == null) NetworkSpec.preset(networkKind); // unknown network -> UserError
            for (long d : inputShape) if (d <= 0) throw new UserError("bench: input shape must be positive, got " + Arrays.toString(inputShape));
        }

        /** The fc benchmark of earlier versions: 784-hidden-10. */
        public Settings(List<Integer> hidden, int batchSize, int threads, int warmup, int repeats, int steps,
                        List<String> rules, boolean dl4j, boolean gemm, boolean workspace, long seed) {
            this(hidden, batchSize, threads, warmup, DEFAULT_WARMUP_SECONDS, repeats, steps, rules, dl4j, gemm, workspace,
                    seed, "fc", null, new long[] {1, 28, 28});
        }

        /** Whether the network is a fully connected preset (the only kind the gemm-only floor is written for). */
        public boolean fullyConnected() {
            return layers == null && NetworkSpec.PRESETS.get(networkKind).fullyConnected();
        }

        public long inputs() {
            long n = 1;
            for (long d : inputShape) n *= d;
            return n;
        }

        /** "fc 784-1024-10", or "lenet 1x28x28" for the other networks. */
        public String network() {
            if (fullyConnected() && networkKind.equals("fc")) {
                StringBuilder sb = new StringBuilder("fc ").append(inputs());
                for (int h : hidden) sb.append('-').append(h);
                return sb.append('-').append(CLASSES).toString();
            }
            StringBuilder shape = new StringBuilder();
            for (long d : inputShape) shape.append(shape.length() == 0 ? "" : "x").append(d);
            return (layers != null ? layers : networkKind) + " " + shape;
        }
    }

    /**
     * One measured step kind: wall-clock samples/s of the median, slowest and fastest block, ms per step,
     * and samples per second of process CPU time (all threads, GC included). On a loaded machine the
     * wall clock also counts time the process waited for a core; the CPU-time figure does not, so it is
     * the steadier of the two for comparing candidates (with 1 thread it is the single-core speed).
     */
    public record Timing(String name, double medianSamplesPerSecond, double minSamplesPerSecond,
                         double maxSamplesPerSecond, double medianMillisPerStep,
                         double medianSamplesPerCpuSecond, String note) { }

    /**
     * One matrix product of the backprop step: C[m,n] = op(A) op(B) with inner size k.
     *
     * @param role    what it computes ("layer0 forward", "layer1 dW", "layer1 dX")
     * @param callsPerStep how many times a backprop step does it (always 1 here)
     */
    public record GemmTiming(String role, long m, long k, long n, double gflops, double millisPerCall, int callsPerStep) { }

    /**
     * The cost of one random value written into a float32 array by one source, for explaining the step cost of
     * rules that draw noise (np, wp, brsf, PEPITA's dropout masks).
     */
    public record RandomTiming(String distribution, String source, double nanosPerValue) { }

    /**
     * One layer's SGD update W ← W − η·hᵀδ done two ways: formed, then subtracted (the weight-gradient product, then
     * the two ops of {@code new Sgd(false)}) and inside the product as training does it ({@code new Sgd()}: β = 1),
     * with the elements whose bits differ after one update from the same W. The second never writes hᵀδ to
     * memory nor reads it back; the count says on which layers of this CPU the two round differently.
     */
    public record UpdateTiming(String layer, long rows, long cols, double separateMillis, double inProductMillis,
                               long differingElements) { }

    /**
     * The result for one (network, batch, threads) setting.
     *
     * @param gemmMillisPerStep    median time of the backprop step's matrix products alone (timed interleaved
     *                             with the rules, as the "gemm-only" candidate)
     * @param gemmCpuFractionOfBpStep the same fraction in process CPU time (steadier on a loaded machine)
     * @param gemmFractionOfBpStep that time over the median bp step time (NaN when bp was not measured)
     */
    public record Result(String network, List<Integer> hidden, int batchSize, int threads, int warmup,
                         double warmupSeconds, int repeats,
                         int steps, List<Timing> rules, List<Timing> dl4j, Timing gemmOnly, List<GemmTiming> gemm,
                         double gemmMillisPerStep, double gemmFractionOfBpStep, double gemmCpuFractionOfBpStep,
                         List<RandomTiming> random, List<UpdateTiming> updates, String backend) {
        public Timing rule(String name) {
            return rules.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        }

        /** DL4J's faster configuration (the reference the ratios use), or null. */
        public Timing bestDl4j() {
            return dl4j.stream().max((a, b) -> Double.compare(a.medianSamplesPerSecond(), b.medianSamplesPerSecond()))
                    .orElse(null);
        }
    }

    private StepBenchmark() { }

    public static Result run(Settings s) {
        Backend.setThreads(s.threads());
        Data data = Data.synthetic(s.batchSize(), s.inputs(), s.seed());
        List<Candidate> ours = new ArrayList<>();
        for (String name : s.rules()) {
            Candidate c = ruleStep(RuleRegistry.get(name), s, data, false);
            if (c != null) ours.add(c);
        }
        if (s.rules().contains("bp") && s.workspace()) ours.add(ruleStep(RuleRegistry.get("bp"), s, data, true));
        List<Candidate> theirs = new ArrayList<>();
        Network architecture = s.dl4j() ? spec(s).build(Nd4j.getRandomFactory().getNewRandomInstance(s.seed())) : null;
        if (architecture != null && Dl4jNetworks.supports(architecture)) {
            theirs.add(dl4jStep(architecture, s, data, WorkspaceMode.ENABLED));
            theirs.add(dl4jStep(architecture, s, data, WorkspaceMode.NONE));
        }
        boolean gemm = s.gemm() && s.fullyConnected();
        List<Candidate> gemmOnly = gemm ? List.of(gemmStep(s)) : List.of();
        List<Candidate> all = new ArrayList<>(ours);
        all.addAll(theirs);
        all.addAll(gemmOnly);
        List<Timing> timings = timeInterleaved(all, s);
        List<Timing> rules = timings.subList(0, ours.size());
        List<Timing> dl4j = timings.subList(ours.size(), ours.size() + theirs.size());
        List<GemmTiming> gemmTimings = gemm ? measureGemm(s) : List.of();
        Timing bp = rules.stream().filter(t -> t.name().equals("bp")).findFirst().orElse(null);
        Timing g = gemmOnly.isEmpty() ? null : timings.get(timings.size() - 1);
        double gemmMs = g == null ? Double.NaN : g.medianMillisPerStep();
        double fraction = bp == null || g == null ? Double.NaN : gemmMs / bp.medianMillisPerStep();
        double cpuFraction = bp == null || g == null ? Double.NaN
                : bp.medianSamplesPerCpuSecond() / g.medianSamplesPerCpuSecond();
        return new Result(s.network(), s.hidden(), s.batchSize(), s.threads(), s.warmup(), s.warmupSeconds(), s.repeats(), s.steps(),
                List.copyOf(rules), List.copyOf(dl4j), g, gemmTimings, gemmMs, fraction, cpuFraction,
                s.gemm() ? measureRandom(s) : List.of(), gemm ? measureUpdates(s) : List.of(),
                Nd4j.getBackend().getClass().getSimpleName());
    }

    /** In-memory synthetic data: inputs uniform in [0, 1), one-hot labels, float32. */
    record Data(List<Batch> batches, List<DataSet> dataSets) {
        static Data synthetic(int batchSize, long inputs, long seed) {
            Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
            java.util.Random labels = new java.util.Random(seed);
            List<Batch> batches = new ArrayList<>();
            List<DataSet> sets = new ArrayList<>();
            for (int i = 0; i < DATA_BATCHES; i++) {
                INDArray x = Nd4j.create(DataType.FLOAT, batchSize, inputs);
                Nd4j.getExecutioner().exec(new UniformDistribution(x, 0.0, 1.0), rng);
                INDArray y = Nd4j.zeros(DataType.FLOAT, batchSize, CLASSES);
                int[] idx = new int[batchSize];
                for (int b = 0; b < batchSize; b++) {
                    idx[b] = labels.nextInt(CLASSES);
                    y.putScalar(b, idx[b], 1.0);
                }
                batches.add(new Batch(x, y, idx));
                sets.add(new DataSet(x, y));
            }
            return new Data(batches, sets);
        }
    }

    static NetworkSpec spec(Settings s) {
        return new NetworkSpec(s.layers() != null ? NetworkSpec.CUSTOM : s.networkKind(), s.inputShape(), s.hidden(), CLASSES,
                Activation.RELU, Activation.SOFTMAX, Initializer.XAVIER_NORMAL, true, new SoftmaxCrossEntropy(), DataType.FLOAT,
                s.layers(), 0);
    }

    /**
     * Options a rule needs to take the benchmark's minibatches: sdd learns online (batch 1) unless told to
     * average its local update over a batch.
     */
    static final java.util.Map<String, java.util.Map<String, Object>> BENCH_OPTIONS =
            java.util.Map.of("sdd", java.util.Map.of("batched", true));

    /** Something to time: one training step per call. */
    record Candidate(String name, String note, Runnable step) { }

    /**
     * One step of ours: the rule's updates, applied by plain SGD. With {@code workspace}, the step runs
     * inside an ND4J workspace (as DL4J's fit does), so its temporaries reuse one block of memory
     * instead of being allocated and freed every step; parameters live outside it and are updated in
     * place, so the result is the same.
     */
    private static Candidate ruleStep(RuleInfo info, Settings s, Data data, boolean workspace) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(s.seed());
        Network net = spec(s).build(rng);
        LearningRule rule = info.create(new RuleOptions(info.name(), BENCH_OPTIONS.getOrDefault(info.name(), java.util.Map.of())));
        RuleState state;
        try {
            state = rule.init(net, rng);
        } catch (UserError notForThisNetwork) {
            return null;   // e.g. sdd on a conv net: the rule does not run there, so it is not timed
        }
        Optimizer sgd = new Sgd();   // what a training run uses
        long[] step = {0};
        Runnable one = () -> {
            Batch batch = data.batches().get((int) (step[0] % DATA_BATCHES));
            StepContext ctx = new StepContext(step[0], 0, LR, rng, rng, false);   // a training step without diagnostics
            Updates u = rule.compute(net, batch, state, ctx);
            sgd.apply(net.params(), u, LR);
            rule.afterStep(net, state, ctx);
            step[0]++;
        };
        if (!workspace) return new Candidate(info.name(), "", one);
        Runnable inWorkspace = () -> {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, "bench-step")) {
                one.run();
            }
        };
        return new Candidate(info.name() + "+ws", "inside an ND4J workspace", inWorkspace);
    }

    /** Workspace for one step: sized by the first pass, then reused; no spilling. */
    static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** DL4J's MultiLayerNetwork.fit on the same architecture, data and batch (backprop + SGD). */
    private static Candidate dl4jStep(Network architecture, Settings s, Data data, WorkspaceMode mode) {
        MultiLayerNetwork net = Dl4jNetworks.of(architecture, mode, s.seed(), LR);
        int[] i = {0};
        Runnable one = () -> net.fit(data.dataSets().get(i[0]++ % DATA_BATCHES));
        return new Candidate("dl4j-bp", "workspaces " + mode.name().toLowerCase(), one);
    }

    /** Only the matrix products of one bp step, into preallocated outputs: the floor of a step's time. */
    private static Candidate gemmStep(Settings s) {
        List<Runnable> products = new ArrayList<>();
        for (Product p : products(s)) products.add(p.op());
        return new Candidate("gemm-only", "the bp step's products alone", () -> {
            for (Runnable r : products) r.run();
        });
    }

    /**
     * Warm every candidate up, then run {@code repeats} rounds in which each candidate times one block of
     * {@code steps} steps in turn. Interleaving keeps a drifting machine load (a shared machine) from
     * favouring whichever candidate ran in the quiet minute.
     */
    private static List<Timing> timeInterleaved(List<Candidate> candidates, Settings s) {
        for (Candidate c : candidates) {
            long end = System.nanoTime() + (long) (s.warmupSeconds() * 1e9);
            for (int i = 0; i < s.warmup() && System.nanoTime() < end; i++) c.step().run();
        }
        double[][] perSecond = new double[candidates.size()][s.repeats()];
        double[][] perCpuSecond = new double[candidates.size()][s.repeats()];
        for (int r = 0; r < s.repeats(); r++) {
            for (int c = 0; c < candidates.size(); c++) {
                Runnable step = candidates.get(c).step();
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                for (int i = 0; i < s.steps(); i++) step.run();
                long dt = System.nanoTime() - t0;
                long cpu = processCpuNanos() - cpu0;
                perSecond[c][r] = (double) s.steps() * s.batchSize() / (dt * 1e-9);
                perCpuSecond[c][r] = cpu <= 0 ? Double.NaN : (double) s.steps() * s.batchSize() / (cpu * 1e-9);
            }
        }
        List<Timing> out = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            double median = median(perSecond[c]);
            out.add(new Timing(candidates.get(c).name(), median, Arrays.stream(perSecond[c]).min().orElse(Double.NaN),
                    Arrays.stream(perSecond[c]).max().orElse(Double.NaN), 1000.0 * s.batchSize() / median,
                    median(perCpuSecond[c]), candidates.get(c).note()));
        }
        return out;
    }

    /** CPU time of the whole process (all threads), or -1 where the JVM cannot tell. */
    static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    /** One matrix product C = op(A) op(B) of the bp step, with its operands preallocated. */
    record Product(String role, long m, long k, long n, Runnable op) { }

    /**
     * The matrix products of one backprop step: per layer the forward h·W [B,n_in]x[n_in,n_out], the
     * weight gradient hᵀ·δ [n_in,B]x[B,n_out], and (except for the first layer) the input error δ·Wᵀ
     * [B,n_out]x[n_out,n_in].
     */
    static List<Product> products(Settings s) {
        List<Product> out = new ArrayList<>();
        List<Integer> widths = new ArrayList<>(s.hidden());
        widths.add(CLASSES);
        long in = s.inputs();
        long b = s.batchSize();
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(s.seed());
        for (int l = 0; l < widths.size(); l++) {
            long o = widths.get(l);
            INDArray h = uniform(rng, b, in);
            INDArray w = uniform(rng, in, o);
            INDArray d = uniform(rng, b, o);
            out.add(product("layer" + l + " forward", h, w, false, false));
            out.add(product("layer" + l + " dW", h, d, true, false));
            if (l > 0) out.add(product("layer" + l + " dX", d, w, false, true));
            in = o;
        }
        return out;
    }

    private static Product product(String role, INDArray a, INDArray bm, boolean ta, boolean tb) {
        long m = ta ? a.size(1) : a.size(0);
        long k = ta ? a.size(0) : a.size(1);
        long n = tb ? bm.size(0) : bm.size(1);
        // the op bp's step runs (MatMul: ND4J's Mmul into a row-major result, oneDNN's matmul in our native
        // build), not Nd4j.gemm: that is the separate OpenBLAS, which ran at half oneDNN's rate on AVX-512 CPUs
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'c');
        return new Product(role, m, k, n, () -> MatMul.into(a, bm, ta, tb, 1.0, c));
    }

    /** Each product of the bp step timed alone: GFLOP/s per shape. */
    static List<GemmTiming> measureGemm(Settings s) {
        List<GemmTiming> out = new ArrayList<>();
        for (Product p : products(s)) {
            double flops = 2.0 * p.m() * p.n() * p.k();
            int calls = (int) Math.max(5, Math.min(2000, 1e8 / flops)); // a few ms per block; tiny products are call-bound
            double med = millisPerCall(p.op(), calls, s);
            out.add(new GemmTiming(p.role(), p.m(), p.k(), p.n(), flops / (med * 1e-3) / 1e9, med, 1));
        }
        return out;
    }

    /**
     * Each layer's weight update of a bp step, given to {@link Sgd} as the weight-gradient product a bp step hands over:
     * formed and subtracted ({@code new Sgd(false)}) and inside the product ({@code new Sgd()}, what training runs)
     * ({@link UpdateTiming}), timed alone like {@link #measureGemm}, then compared bit for bit after one update of
     * the same weights by each.
     */
    static List<UpdateTiming> measureUpdates(Settings s) {
        List<UpdateTiming> out = new ArrayList<>();
        List<Integer> widths = new ArrayList<>(s.hidden());
        widths.add(CLASSES);
        long in = s.inputs();
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(s.seed());
        for (int l = 0; l < widths.size(); l++) {
            long o = widths.get(l);
            INDArray h = uniform(rng, s.batchSize(), in);
            INDArray delta = uniform(rng, s.batchSize(), o).muli(0.01);
            INDArray w = uniform(rng, in, o).muli(0.05);
            INDArray separate = w.dup();
            INDArray inProduct = w.dup();
            INDArray gradient = Nd4j.create(DataType.FLOAT, new long[] {in, o}, 'c');
            String name = "layer" + l + ".W";
            ProductGradient product = new ProductGradient(h, delta, true, false, 1.0, gradient);
            Runnable step = bySgd(new Sgd(false), new Param(name, l, Param.Kind.WEIGHT, separate), product);
            Runnable fused = bySgd(new Sgd(), new Param(name, l, Param.Kind.WEIGHT, inProduct), product);
            // one update of the same weights by each, before any timing moves them
            step.run();
            fused.run();
            long differing = differingBits(separate, inProduct);
            double flops = 2.0 * in * o * s.batchSize();
            int calls = (int) Math.max(5, Math.min(2000, 1e8 / flops));
            out.add(new UpdateTiming("layer" + l, in, o, millisPerCall(step, calls, s), millisPerCall(fused, calls, s), differing));
            in = o;
        }
        return out;
    }

    /**
     * One SGD update of {@code param} by {@code sgd} from {@code product}, as a runnable to time: fresh {@link Updates}
     * per call, as each step hands over (Updates keeps a product it formed, which would skip the product after the first).
     */
    private static Runnable bySgd(Optimizer sgd, Param param, ProductGradient product) {
        List<Param> params = List.of(param);
        return () -> sgd.apply(params, new Updates().putProduct(param.name(), product), LR);
    }

    /** Elements of two float arrays of one shape whose bit patterns differ (so -0 against +0 counts). */
    static long differingBits(INDArray a, INDArray b) {
        float[] x = a.data().asFloat();
        float[] y = b.data().asFloat();
        long n = 0;
        for (int i = 0; i < x.length; i++) if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) n++;
        return n;
    }

    /** Median milliseconds per call over timed blocks of {@code calls} calls, after a short warm-up. */
    private static double millisPerCall(Runnable op, int calls, Settings s) {
        for (int i = 0; i < Math.max(3, calls / 5); i++) op.run();
        double[] ms = new double[Math.max(3, s.repeats())];
        for (int r = 0; r < ms.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) op.run();
            ms[r] = (System.nanoTime() - t0) * 1e-6 / calls;
        }
        return median(ms);
    }

    /** Values per timed call of {@link #measureRandom}: the size of np's noise for a batch of 100 on fc 1024. */
    public static final int RANDOM_VALUES = 100_000;

    /** Nanoseconds per random float32 value from our JVM sampler and from ND4J's native random ops. */
    static List<RandomTiming> measureRandom(Settings s) {
        INDArray out = Nd4j.create(DataType.FLOAT, RANDOM_VALUES);
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(s.seed());
        JvmRandom jvm = new JvmRandom(new SplittableRandom(s.seed()));
        List<RandomTiming> timings = new ArrayList<>();
        timings.add(timeRandom("gaussian", "JvmRandom (ziggurat)", () -> jvm.fill(out, 1.0), s));
        timings.add(timeRandom("gaussian", "ND4J native op", () -> Nd4j.getExecutioner().exec(new GaussianDistribution(out, 0.0, 1.0), rng), s));
        timings.add(timeRandom("uniform", "JvmRandom", () -> jvm.fillUniform(out, 1.0), s));
        timings.add(timeRandom("uniform", "ND4J native op", () -> Nd4j.getExecutioner().exec(new UniformDistribution(out, 0.0, 1.0), rng), s));
        return timings;
    }

    private static RandomTiming timeRandom(String distribution, String source, Runnable fill, Settings s) {
        for (int i = 0; i < 20; i++) fill.run();
        double[] ns = new double[Math.max(5, s.repeats())];
        for (int r = 0; r < ns.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) fill.run();
            ns[r] = (System.nanoTime() - t0) / (5.0 * RANDOM_VALUES);
        }
        return new RandomTiming(distribution, source, median(ns));
    }

    private static INDArray uniform(Random rng, long... shape) {
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        Nd4j.getExecutioner().exec(new UniformDistribution(a, -1.0, 1.0), rng);
        return a;
    }

}
