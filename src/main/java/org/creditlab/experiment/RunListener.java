package org.creditlab.experiment;

import java.util.Map;

/** Told what happens during a run: progress bars, the run directory and library users' own code. */
public interface RunListener {
    default void onStart(RunInfo run) { }

    /** After every optimisation step. */
    default void onStep(long step, int epoch, int batch, int batchesPerEpoch, double loss) { }

    /** After every evaluation. */
    default void onEpoch(EpochMetrics metrics) { }

    /** Anything else worth a line in metrics.jsonl (a crash, diagnostics); fields include "type". */
    default void onEvent(Map<String, Object> event) { }

    /**
     * Training has reached a state worth saving: the start of a fresh run (before anything is reported), the
     * end of every epoch (after its metrics and events), and the step at which an interrupted run stopped.
     */
    default void onCheckpoint(Checkpoint.Position position) { }

    /** The result so far (status {@code running}): at the start and after every epoch's checkpoint. */
    default void onProgress(RunResult soFar) { }

    default void onEnd(RunResult result) { }

    /** What listeners need to know up front. */
    record RunInfo(RunConfig config, String networkDescription, long parameters, TrainingData data,
                   int batchesPerEpoch) { }
}
