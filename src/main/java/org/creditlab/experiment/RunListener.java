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

    default void onEnd(RunResult result) { }

    /** What listeners need to know up front. */
    record RunInfo(RunConfig config, String networkDescription, long parameters, TrainingData data,
                   int batchesPerEpoch) { }
}
