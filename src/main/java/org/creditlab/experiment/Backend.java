package org.creditlab.experiment;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** The few things we ask of ND4J's backend, without naming one (CPU and CUDA builds share this code). */
public final class Backend {
    private Backend() { }

    /**
     * Gives {@code threads} cores to the ops that do the arithmetic and keeps the rest on the calling thread.
     * In our native build the matrix products and convolutions are oneDNN's, threaded by OpenMP (ND4J's Mmul op
     * ran a 2048² sgemm at 210 GFLOP/s on 1 thread and 400 on 2 here, the separate OpenBLAS at 105 and 195),
     * so the OpenMP team gets the threads, and so does BLAS for whatever still calls it. libnd4j's element-wise
     * ops and reductions run serially: they are memory-bound passes over 10^3-10^6 values that took the same
     * time on 1 or 2 threads here (issue 13), and every parallel region is one more place where a thread team
     * waits for a core that a busy machine has given to someone else.
     * Results are bit-identical run to run at a fixed count.
     */
    public static void setThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        // oneDNN and some libnd4j ops (softmax) use OpenMP directly and ignore the limits above
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** e.g. "CpuBackend" or "CudaBackend". */
    public static String name() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }
}
