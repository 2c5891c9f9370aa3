package org.creditlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.creditlab.nn.Network;
import org.creditlab.optim.LearningRateSchedule;
import org.creditlab.optim.Optimizer;
import org.creditlab.rules.Batch;
import org.creditlab.rules.LearningRule;
import org.creditlab.rules.RuleState;
import org.creditlab.rules.StepContext;
import org.creditlab.rules.Updates;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop: shuffle, batch, ask the rule for updates, let the optimizer apply them, evaluate
 * every epoch and tell the listeners. It knows nothing of files or the command line.
 */
public final class Trainer {
    private final Session s;
    private final List<RunListener> listeners;

    /** Everything a run is made of, assembled by {@link Experiment} or by library code. */
    public record Session(RunConfig config, Network network, LearningRule rule, RuleState ruleState,
                          Optimizer optimizer, LearningRateSchedule schedule, TrainingData data,
                          RandomStreams random, Provenance provenance) { }

    private final Checkpoint.Position from;
    private volatile String stopRequest;
    private EpochMetrics lastBefore;

    public Trainer(Session session, List<RunListener> listeners) {
        this(session, listeners, Checkpoint.Position.START);
    }

    /** Continues from a restored checkpoint position (parameters and states already restored). */
    public Trainer(Session session, List<RunListener> listeners, Checkpoint.Position start) {
        this.s = session;
        this.listeners = List.copyOf(listeners);
        this.from = start;
    }

    /**
     * Asks the run to stop after the step in progress (from any thread, e.g. a shutdown hook on SIGTERM):
     * {@link #run()} then saves a checkpoint where it stopped and returns a result with status
     * {@code interrupted}.
     *
     * @param reason what stopped it, for result.json
     */
    public void requestStop(String reason) {
        stopRequest = reason;
    }

    /**
     * The last epoch's metrics of the run being continued, so that a result written before this process
     * completes an epoch (at the start, or when interrupted) still reports them.
     */
    public Trainer continuing(EpochMetrics lastEpoch) {
        this.lastBefore = lastEpoch;
        return this;
    }

    public RunResult run() {
        RunConfig cfg = s.config();
        TrainingData.Split train = s.data().train();
        int n = train.size();
        int batchesPerEpoch = (n + cfg.batchSize - 1) / cfg.batchSize;
        var info = new RunListener.RunInfo(cfg, s.network().describe(), s.network().parameterCount(), s.data(), batchesPerEpoch);
        // A fresh run is resumable from its very start: the checkpoint comes before anything is reported.
        if (from.equals(Checkpoint.Position.START)) listeners.forEach(l -> l.onCheckpoint(from));
        listeners.forEach(l -> l.onStart(info));

        Progress p = new Progress(System.nanoTime(), from.step(), from.bestTestAccuracy());
        p.epochsDone = from.epochsDone();
        p.last = lastBefore != null && lastBefore.epoch() == from.epochsDone() ? lastBefore : null;
        emitProgress(p);
        String status = RunResult.COMPLETED;
        String message = null;
        CrashDetector crashes = new CrashDetector(cfg.crashThreshold, p.best);
        Map<String, Object> lastAlignment = null;
        NativeMemoryGuard memory = new NativeMemoryGuard();

        epochs:
        for (int epoch = from.epochsDone(); epoch < cfg.epochs; epoch++) {
            double lr = s.schedule().at(epoch);
            int[] order = s.random().permutation(n, epoch);
            boolean resumedEpoch = epoch == from.epochsDone() && from.batchesIntoEpoch() > 0;
            double lossSum = resumedEpoch ? from.epochLossSum() : 0;
            int lossCount = resumedEpoch ? from.batchesIntoEpoch() : 0;
            for (int b = resumedEpoch ? from.batchesIntoEpoch() : 0; b < batchesPerEpoch; b++) {
                if (stopRequest != null) {
                    status = RunResult.INTERRUPTED;
                    message = stopRequest + (b == 0 ? " after epoch " + epoch : " during epoch " + (epoch + 1) + " after "
                            + b + " of " + batchesPerEpoch + " batches") + " (step " + p.step + ", checkpointed); resume with --resume";
                    p.events.add(message);
                    // An epoch boundary was saved when it was reached; part-way through, save where it stopped.
                    if (b > 0) {
                        var here = new Checkpoint.Position(epoch, p.step, p.best, b, lossSum);
                        listeners.forEach(l -> l.onCheckpoint(here));
                    }
                    break epochs;
                }
                int from = b * cfg.batchSize;
                int to = Math.min(n, from + cfg.batchSize);
                Batch batch = batch(train, order, from, to);
                long step = p.step;
                boolean lastOfEpoch = b == batchesPerEpoch - 1;
                boolean logged = cfg.diagnosticsEvery > 0 && step % cfg.diagnosticsEvery == 0;
                boolean measured = logged || lastOfEpoch;
                StepContext ctx = new StepContext(step, epoch, lr, s.random().noiseFor(step), s.random().dropoutFor(step), measured);
                Updates updates = s.rule().compute(s.network(), batch, s.ruleState(), ctx);
                double loss = updates.loss();
                // Only the loss is checked: scanning every update for NaN costs more than the step itself,
                // and a non-finite update makes the next step's loss non-finite anyway.
                if (!Double.isFinite(loss) || loss > cfg.lossCeiling) {
                    status = RunResult.DIVERGED;
                    message = (Double.isFinite(loss) ? "loss " + loss + " exceeded loss_ceiling " + cfg.lossCeiling : "loss became " + loss)
                            + " at epoch " + (epoch + 1) + ", step " + step;
                    p.events.add(message);
                    break epochs;
                }
                if (measured) {
                    // On the batch and weights the rule just used, before they change.
                    lastAlignment = AlignmentProbe.measure(s.network(), s.rule(), s.ruleState(), batch, updates, step, epoch);
                    if (logged) {
                        final Map<String, Object> a = lastAlignment;
                        listeners.forEach(l -> l.onEvent(a));
                    }
                }
                s.optimizer().apply(s.network().params(), updates, lr);
                s.rule().afterStep(s.network(), s.ruleState(), ctx);
                lossSum += loss;
                lossCount++;
                p.samples += to - from;
                p.step++;
                memory.afterStep();
                final long st = p.step;
                final int e = epoch;
                final int bb = b;
                listeners.forEach(l -> l.onStep(st, e, bb, batchesPerEpoch, loss));
            }
            p.last = evaluate(epoch, p.step, lossSum / lossCount, lr, (System.nanoTime() - p.start) / 1e9,
                    anglesOf(lastAlignment));
            p.epochsDone = epoch + 1;
            final EpochMetrics m = p.last;
            listeners.forEach(l -> l.onEpoch(m));
            if (m.testAccuracy() != null) {
                p.best = p.best == null ? m.testAccuracy() : Math.max(p.best, m.testAccuracy());
                Map<String, Object> crash = crashes.check(m);
                if (crash != null) {
                    p.events.add("crash at epoch " + (epoch + 1));
                    crash.put("weight_norms", weightNorms(s.network()));
                    if (lastAlignment != null) crash.put("alignment", lastAlignment);
                    listeners.forEach(l -> l.onEvent(crash));
                }
            }
            // After the epoch's lines: a run killed before this point resumes from the previous epoch and
            // writes them again; one killed after it finds them all.
            var boundary = new Checkpoint.Position(epoch + 1, p.step, p.best);
            listeners.forEach(l -> l.onCheckpoint(boundary));
            String broken = firstNonFiniteParameter(s.network());
            boolean lossFinite = Double.isFinite(m.testLoss() == null ? 0 : m.testLoss());
            if (!lossFinite || (m.testLoss() != null && m.testLoss() > cfg.lossCeiling) || broken != null) {
                status = RunResult.DIVERGED;
                message = broken != null && lossFinite
                        ? "parameter " + broken + " became NaN or infinite by epoch " + (epoch + 1)
                            + " while the loss stayed finite (ReLU and max-pooling can hide a broken unit from the loss)"
                        : "test loss became " + m.testLoss() + " at epoch " + (epoch + 1);
                p.events.add(message);
                break;
            }
            if (epoch + 1 < cfg.epochs) emitProgress(p); // after the last epoch the final result follows at once
        }
        RunResult result = p.result(status, message);
        listeners.forEach(l -> l.onEnd(result));
        return result;
    }

    private void emitProgress(Progress p) {
        RunResult soFar = p.result(RunResult.RUNNING, null);
        listeners.forEach(l -> l.onProgress(soFar));
    }

    /** What run() has done so far, from which result.json is written at any point. */
    private final class Progress {
        final long start;
        long step;
        long samples;
        int epochsDone;
        Double best;
        EpochMetrics last;
        final List<String> events = new ArrayList<>();

        Progress(long start, long step, Double best) {
            this.start = start;
            this.step = step;
            this.best = best;
        }

        RunResult result(String status, String message) {
            double wall = (System.nanoTime() - start) / 1e9;
            RunResult.Final fin = new RunResult.Final(
                    last == null ? null : last.testAccuracy(), last == null ? null : last.testLoss(),
                    last == null ? null : last.trainLoss(), last == null ? null : last.validationAccuracy(),
                    last == null ? null : last.validationLoss(), epochsDone, step, wall,
                    wall > 0 ? samples / wall : 0);
            return new RunResult(status, message, fin, best, s.provenance().toResult(s.data(), List.copyOf(events)));
        }
    }

    /**
     * What every epoch line carries from the epoch's last alignment probe: the per-weight angles to the
     * backprop gradient ({"layer0.W": 12.3, ...}) and the rule's own diagnostics (e.g. PEPITA's F angle).
     */
    private static Map<String, Object> anglesOf(Map<String, Object> alignment) {
        if (alignment == null) return null;
        Map<String, Object> angles = new LinkedHashMap<>();
        alignment.forEach((k, v) -> {
            if (k.endsWith(".W.angle")) angles.put(k.substring(0, k.length() - ".angle".length()), v);
        });
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("angle_to_bp", angles);
        if (alignment.get("rule") != null) extra.put("rule", alignment.get("rule"));
        return extra;
    }

    private EpochMetrics evaluate(int epoch, long step, double trainLoss, double lr, double seconds,
                                  Map<String, Object> extra) {
        RunConfig cfg = s.config();
        TrainingData d = s.data();
        Evaluation.Result test = Evaluation.evaluate(s.network(), s.rule(), s.ruleState(), d.test().x(), d.test().y(),
                d.test().labels(), cfg.evalBatchSize);
        Evaluation.Result val = d.validation() == null ? null : Evaluation.evaluate(s.network(), s.rule(), s.ruleState(),
                d.validation().x(), d.validation().y(), d.validation().labels(), cfg.evalBatchSize);
        Double trainAccuracy = trainAccuracy(cfg, d.train());
        return new EpochMetrics(epoch + 1, step, trainLoss, trainAccuracy, test.loss(), test.accuracy(),
                val == null ? null : val.loss(), val == null ? null : val.accuracy(), lr, seconds, extra);
    }

    /** Accuracy on the first train_accuracy_examples training examples (null when 0). */
    private Double trainAccuracy(RunConfig cfg, TrainingData.Split train) {
        int n = Math.min(cfg.trainAccuracyExamples, train.size());
        if (n <= 0) return null;
        INDArray x = train.x().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray y = train.y().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n), org.nd4j.linalg.indexing.NDArrayIndex.all());
        return Evaluation.evaluate(s.network(), s.rule(), s.ruleState(), x, y, java.util.Arrays.copyOf(train.labels(), n),
                cfg.evalBatchSize).accuracy();
    }

    static Batch batch(TrainingData.Split split, int[] order, int from, int to) {
        int[] idx = new int[to - from];
        int[] labels = new int[to - from];
        for (int i = from; i < to; i++) {
            idx[i - from] = order[i];
            labels[i - from] = split.labels()[order[i]];
        }
        INDArray x = Nd4j.pullRows(split.x(), 1, idx);
        INDArray y = Nd4j.pullRows(split.y(), 1, idx);
        return new Batch(x, y, labels);
    }

    /** Frobenius norm of every weight tensor, by parameter name. */
    /**
     * The name of the first parameter holding a NaN or an infinity, or null. The step loop checks only the
     * loss, and that is not enough: a bias that overflowed to −∞ makes its unit's pre-activation −∞, ReLU turns
     * that into 0 and its gradient into 0, so the loss stays finite while the parameter stays broken for the rest
     * of the run. Checked once per epoch, where it costs one pass over the weights.
     */
    static String firstNonFiniteParameter(Network net) {
        for (var param : net.params()) {
            if (org.nd4j.linalg.indexing.BooleanIndexing.or(param.value(),
                    org.nd4j.linalg.indexing.conditions.Conditions.notFinite())) return param.name();
        }
        return null;
    }

    public static Map<String, Object> weightNorms(Network net) {
        Map<String, Object> norms = new LinkedHashMap<>();
        net.params().forEach(p -> norms.put(p.name(), p.value().norm2Number().doubleValue()));
        return norms;
    }
}
