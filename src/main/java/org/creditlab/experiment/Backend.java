package org.creditlab.experiment;

import org.nd4j.linalg.factory.Nd4j;

/** The few things we ask of ND4J's backend, without naming one (CPU and CUDA builds share this code). */
public final class Backend {
    private Backend() { }

    /** Threads for ND4J's own ops and for BLAS. Results are bit-identical run to run at a fixed count. */
    public static void setThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** e.g. "CpuBackend" or "CudaBackend". */
    public static String name() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }
}
