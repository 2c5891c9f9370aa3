package org.creditlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.creditlab.UserError;
import org.creditlab.bench.StepBenchmark;
import org.creditlab.bench.StepBenchmark.GemmTiming;
import org.creditlab.bench.StepBenchmark.RandomTiming;
import org.creditlab.bench.StepBenchmark.Result;
import org.creditlab.bench.StepBenchmark.Settings;
import org.creditlab.bench.StepBenchmark.Timing;
import org.creditlab.bench.StepBenchmark.UpdateTiming;
import org.creditlab.rules.RuleInfo;
import org.creditlab.rules.RuleRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credit bench}: samples/s of one training step of each learning rule next to DL4J's own
 * backprop, plus the raw sgemm speed of the step's matrix products. Values are parsed here (not by
 * picocli's converters) so every bad value is a {@link UserError} with one clear line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure training-step throughput (samples/s) of each learning rule on a fully connected "
                + "784-...-10 network, a named network (--network lenet, conv, ...) or a layer spec (relu, softmax + "
                + "cross-entropy, float32) with synthetic data, against DL4J's MultiLayerNetwork on the same architecture, "
                + "and for fc networks the sgemm GFLOP/s of the step's products.",
                "Timings depend on the machine's load: on a shared machine compare numbers from one run only."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--hidden", paramLabel = "WIDTHS",
            description = "hidden widths of one network, comma-separated (e.g. 500,500); repeat for several networks "
                    + "(default: 1024)")
    List<String> hidden = new ArrayList<>();

    @Option(names = "--network", paramLabel = "NAME",
            description = "a named network instead of fc (e.g. lenet, conv; see 'credit networks'); repeatable")
    List<String> networkNames = new ArrayList<>();

    @Option(names = "--layers", paramLabel = "SPEC", description = "a layer spec to time instead of a named network")
    String layers;

    @Option(names = "--input", paramLabel = "CxHxW", description = "input shape of one example (default: ${DEFAULT-VALUE}; 3x32x32 for CIFAR-10)")
    String input = "1x28x28";

    @Option(names = "--batch-size", paramLabel = "B[,B...]", description = "batch sizes (default: ${DEFAULT-VALUE})")
    String batchSizes = "64,100";

    @Option(names = "--rules", paramLabel = "RULE[,RULE...]",
            description = "rules to time (default: every registered rule)")
    String rules;

    @Option(names = "--threads", paramLabel = "N[,N...]",
            description = "ND4J/BLAS thread counts to run with (default: ${DEFAULT-VALUE})")
    String threads = "1";

    @Option(names = "--warmup", paramLabel = "STEPS",
            description = "untimed steps per rule before timing, while the JVM compiles the step (default: ${DEFAULT-VALUE})")
    String warmup = String.valueOf(StepBenchmark.DEFAULT_WARMUP_STEPS);

    @Option(names = "--warmup-seconds", paramLabel = "S",
            description = "cut a rule's warm-up short after this long (default: ${DEFAULT-VALUE})")
    String warmupSeconds = String.valueOf(StepBenchmark.DEFAULT_WARMUP_SECONDS);

    @Option(names = "--repeats", paramLabel = "R", description = "timed blocks; the median is reported (default: ${DEFAULT-VALUE})")
    String repeats = "7";

    @Option(names = "--steps", paramLabel = "K", description = "steps per timed block (default: ${DEFAULT-VALUE})")
    String steps = "20";

    @Option(names = "--seed", paramLabel = "SEED", description = "seed of data and weights (default: ${DEFAULT-VALUE})")
    String seed = "42";

    @Option(names = "--no-dl4j", description = "skip the DL4J reference")
    boolean noDl4j;

    @Option(names = "--no-gemm", description = "skip the raw GEMM and random-number timings")
    boolean noGemm;

    @Option(names = "--workspace", description = "also time bp with each step inside an ND4J workspace (bp+ws)")
    boolean workspace;

    @Option(names = "--json", paramLabel = "FILE", description = "also write all results as JSON (atomically)")
    Path json;

    @Spec CommandSpec spec;

    /**
     * Runs {@code bench} on its own (until the main {@code credit} command wires it in): a {@link UserError}
     * prints one line and exits 2.
     */
    public static void main(String[] args) {
        picocli.CommandLine cl = new picocli.CommandLine(new BenchCommand());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserError) {
                line.getErr().println("credit bench: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cl.execute(args));
    }

    @Override public Integer call() throws IOException {
        List<List<Integer>> networks = new ArrayList<>();
        for (String h : hidden.isEmpty() ? List.of("1024") : hidden) networks.add(positiveInts("--hidden", h));
        long[] inputShape = inputShape(input);
        // each entry: a named network (with the hidden widths for the fc presets) or the layer spec
        List<String> kinds = new ArrayList<>();
        if (layers != null) kinds.add(null);
        kinds.addAll(networkNames);
        if (kinds.isEmpty() || (!hidden.isEmpty() && !kinds.contains("fc"))) kinds.add(0, "fc");
        List<Integer> batches = positiveInts("--batch-size", batchSizes);
        List<Integer> threadCounts = positiveInts("--threads", threads);
        for (int t : threadCounts) {
            // the same bound as credit train's threads key: 10,000 OpenMP threads crash the native library
            if (t > org.creditlab.experiment.RunConfig.maxThreads()) {
                throw new UserError("--threads: at most " + org.creditlab.experiment.RunConfig.maxThreads() + " (max(256, processors)), got " + t);
            }
        }
        int warm = nonNegativeInt("--warmup", warmup);
        double warmSeconds = nonNegativeDouble("--warmup-seconds", warmupSeconds);
        int reps = positiveInts("--repeats", repeats).get(0);
        int k = positiveInts("--steps", steps).get(0);
        long seedValue = parseLong("--seed", seed);
        List<String> ruleNames = new ArrayList<>();
        if (rules == null || rules.isBlank()) {
            for (RuleInfo info : RuleRegistry.all()) ruleNames.add(info.name());
        } else {
            for (String r : rules.split(",")) {
                if (r.isBlank()) throw new UserError("--rules: empty rule name in '" + rules + "'");
                String name = RuleRegistry.get(r.trim()).name();
                if (!ruleNames.contains(name)) ruleNames.add(name);
            }
        }
        if (json != null && json.getParent() != null && !Files.isDirectory(json.getParent())) {
            throw new UserError("--json: directory " + json.getParent() + " does not exist");
        }
        if (json != null) OutputPaths.checkFile(json, "--json");   // before the benchmark, not after it


        PrintWriter out = spec == null ? new PrintWriter(System.out, true) : spec.commandLine().getOut();
        List<Result> results = new ArrayList<>();
        for (String kind : kinds) {
            boolean fc = kind != null && org.creditlab.nn.NetworkSpec.preset(kind).fullyConnected();
            for (List<Integer> net : fc ? networks : List.of(List.<Integer>of())) {
                for (int t : threadCounts) {
                    for (int b : batches) {
                        Settings s = new Settings(net, b, t, warm, warmSeconds, reps, k, ruleNames, !noDl4j, !noGemm, workspace, seedValue,
                                kind == null ? org.creditlab.nn.NetworkSpec.CUSTOM : kind, kind == null ? layers : null, inputShape);
                        Result r = StepBenchmark.run(s);
                        results.add(r);
                        out.print(table(r));
                        out.flush();
                    }
                }
            }
        }
        if (json != null) writeJson(json, results);
        return 0;
    }

    static long[] inputShape(String text) {
        String[] parts = text.trim().split("x");
        if (parts.length != 3) throw new UserError("--input expects CxHxW, e.g. 1x28x28 or 3x32x32; got '" + text + "'");
        long[] shape = new long[3];
        for (int i = 0; i < 3; i++) {
            try {
                shape[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                shape[i] = 0;
            }
            if (shape[i] <= 0 || shape[i] > 4096) throw new UserError("--input expects CxHxW with positive sizes; got '" + text + "'");
        }
        return shape;
    }

    /** The human-readable table of one result. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "network %s, batch %d, threads %d (warmup %d steps or %s s, %d x %d steps; %s)%n",
                r.network(), r.batchSize(), r.threads(), r.warmup(), new java.text.DecimalFormat("0.##").format(r.warmupSeconds()),
                r.repeats(), r.steps(),
                "timings are noisy on a shared machine"));
        sb.append(String.format(Locale.ROOT, "%-10s %19s   %-13s %8s %7s %11s %14s  %s%n",
                "rule", "samples/s (median)", "range", "ms/step", "vs bp", "vs DL4J bp", "samples/cpu-s", ""));
        Timing bp = r.rule("bp");
        Timing ref = r.bestDl4j();
        List<Timing> all = new ArrayList<>(r.rules());
        all.addAll(r.dl4j());
        if (r.gemmOnly() != null) all.add(r.gemmOnly());
        for (Timing t : all) {
            sb.append(String.format(Locale.ROOT, "%-10s %19.0f   %-13s %8.2f %7s %11s %14.0f  %s%n",
                    t.name(), t.medianSamplesPerSecond(),
                    String.format(Locale.ROOT, "%.0f-%.0f", t.minSamplesPerSecond(), t.maxSamplesPerSecond()),
                    t.medianMillisPerStep(), ratio(t, bp), ratio(t, ref), t.medianSamplesPerCpuSecond(), t.note()));
        }
        if (!r.gemm().isEmpty()) {
            sb.append("matrix products of one bp step (float32, the op bp runs them with, preallocated output):\n");
            for (GemmTiming g : r.gemm()) {
                sb.append(String.format(Locale.ROOT, "  %-16s [%d x %d] x [%d x %d] %7.1f GFLOP/s %8.3f ms%n",
                        g.role(), g.m(), g.k(), g.k(), g.n(), g.gflops(), g.millisPerCall()));
            }
            double flops = r.gemm().stream().mapToDouble(g -> 2.0 * g.m() * g.k() * g.n()).sum();
            sb.append(String.format(Locale.ROOT, "  products alone (gemm-only row): %.3f ms per step%s%n",
                    r.gemmMillisPerStep(),
                    Double.isNaN(r.gemmFractionOfBpStep()) ? ""
                            : String.format(Locale.ROOT, " = %.0f%% of the bp step (%.0f%% in CPU time)",
                                    100 * r.gemmFractionOfBpStep(), 100 * r.gemmCpuFractionOfBpStep())));
            if (bp != null) {
                // the step's useful arithmetic is its products: GFLOP/s of the whole step against theirs alone
                sb.append(String.format(Locale.ROOT, "  %.2f GFLOP per step: the bp step runs at %.1f GFLOP/s, its products alone at %.1f%n",
                        flops / 1e9, flops / (bp.medianMillisPerStep() * 1e-3) / 1e9, flops / (r.gemmMillisPerStep() * 1e-3) / 1e9));
            }
        }
        if (!r.updates().isEmpty()) {
            sb.append("SGD updates of one bp step, W - lr * h^T delta: formed by the product, then subtracted by two ops, and inside\n"
                    + "the product as training does it (beta = 1; never writes the gradient), and the elements whose bits differ:\n");
            for (UpdateTiming u : r.updates()) {
                sb.append(String.format(Locale.ROOT, "  %-7s [%d x %d]  product + SGD %7.3f ms   inside the product %7.3f ms   %s%n",
                        u.layer(), u.rows(), u.cols(), u.separateMillis(), u.inProductMillis(),
                        u.differingElements() == 0 ? "same bits"
                                : String.format(Locale.ROOT, "%,d of %,d elements differ", u.differingElements(), u.rows() * u.cols())));
            }
            double separate = r.updates().stream().mapToDouble(UpdateTiming::separateMillis).sum();
            double inProduct = r.updates().stream().mapToDouble(UpdateTiming::inProductMillis).sum();
            sb.append(String.format(Locale.ROOT, "  all layers: %.3f ms against %.3f ms (%.3f ms per step less inside the products)%n",
                    separate, inProduct, separate - inProduct));
        }
        if (!r.random().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "random numbers (float32, %,d per call; np, wp, brsf and PEPITA draw them every step):%n",
                    StepBenchmark.RANDOM_VALUES));
            for (RandomTiming t : r.random()) {
                sb.append(String.format(Locale.ROOT, "  %-9s %-22s %6.1f ns per value%n", t.distribution(), t.source(), t.nanosPerValue()));
            }
        }
        sb.append('\n');
        return sb.toString();
    }

    private static String ratio(Timing t, Timing reference) {
        if (reference == null) return "-";
        return String.format(Locale.ROOT, "%.2f", t.medianSamplesPerSecond() / reference.medianSamplesPerSecond());
    }

    /** Writes to a temporary file next to the target, then renames it over the target. */
    static void writeJson(Path target, List<Result> results) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "step");
        doc.put("java", System.getProperty("java.version"));
        doc.put("omp_num_threads_env", System.getenv("OMP_NUM_THREADS"));
        doc.put("results", results);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try {
            mapper.writeValue(tmp.toFile(), doc);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static List<Integer> positiveInts(String option, String text) {
        List<Integer> values = new ArrayList<>();
        if (text == null || text.isBlank()) throw new UserError(option + ": expected a positive whole number, got nothing");
        for (String part : text.split(",")) {
            int v;
            try {
                v = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new UserError(option + ": expected positive whole numbers separated by commas, got '" + text + "'");
            }
            if (v <= 0) throw new UserError(option + ": values must be positive, got " + v);
            values.add(v);
        }
        return values;
    }

    private static int nonNegativeInt(String option, String text) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v < 0) throw new UserError(option + ": must be >= 0, got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new UserError(option + ": expected a whole number, got '" + text + "'");
        }
    }

    private static double nonNegativeDouble(String option, String text) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!(v >= 0) || Double.isInfinite(v)) throw new UserError(option + ": must be a finite number >= 0, got " + text.trim());
            return v;
        } catch (NumberFormatException e) {
            throw new UserError(option + ": expected a number of seconds, got '" + text + "'");
        }
    }

    private static long parseLong(String option, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UserError(option + ": expected a whole number, got '" + text + "'");
        }
    }
}
