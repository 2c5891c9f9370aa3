package org.creditlab.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.creditlab.experiment.Trainer;

/**
 * SIGTERM (what Slurm sends at a time limit or preemption) and SIGINT (Ctrl-C) stop a run cleanly. The JVM
 * runs shutdown hooks on either signal; this hook asks the trainer to stop after its current step and then
 * waits until the run has written its checkpoint, metrics and result.json (status {@code interrupted}) and
 * released its directory, since the JVM halts as soon as the hooks return. The process then exits with
 * 128 + the signal's number: 143 for SIGTERM, 130 for SIGINT.
 */
final class StopOnSignal implements AutoCloseable {
    /** Longest wait for the run to finish writing; Slurm's default grace before SIGKILL is 30 s. */
    static final long WAIT_SECONDS = 120;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "credit-stop-on-signal");
    private volatile Trainer trainer;

    private StopOnSignal() { }

    static StopOnSignal install() {
        StopOnSignal s = new StopOnSignal();
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** The run to stop; before this, a signal ends the process at once (nothing is being written yet). */
    void attach(Trainer t) {
        trainer = t;
    }

    private void onShutdown() {
        Trainer t = trainer;
        if (t == null) return;
        System.err.println("credit: interrupted: stopping after the current step, saving a checkpoint and result.json");
        t.requestStop("stopped by a signal (SIGTERM or SIGINT)");
        try {
            finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run has written everything: lets a waiting hook return, and removes it otherwise. */
    @Override public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and the hook is running: it returns now
        }
    }
}
