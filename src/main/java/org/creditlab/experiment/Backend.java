package org.creditlab.experiment;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** The few things we ask of ND4J's backend, without naming one (CPU and CUDA builds share this code). */
public final class Backend {
    private Backend() { }

    /** Threads for ND4J's own ops and for BLAS. Results are bit-identical run to run at a fixed count. */
    public static void setThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        // Some libnd4j ops (softmax among them) parallelise with OpenMP directly and ignore the limits above:
        // with the default team on a busy 2-core machine a [100, 10] softmax took 3–8 ms instead of 0.2–0.3 ms.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /** e.g. "CpuBackend" or "CudaBackend". */
    public static String name() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }
}
