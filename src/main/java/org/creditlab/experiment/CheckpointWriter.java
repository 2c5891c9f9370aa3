package org.creditlab.experiment;

import java.nio.file.Path;

/** Saves {@link Checkpoint#FILE} in the run directory after every evaluation. */
public final class CheckpointWriter implements RunListener {
    private final Trainer.Session session;
    private final Path file;
    private Double best;

    public CheckpointWriter(Trainer.Session session, Path runDir, Double bestSoFar) {
        this.session = session;
        this.file = runDir.resolve(Checkpoint.FILE);
        this.best = bestSoFar;
    }

    @Override public void onEpoch(EpochMetrics m) {
        if (m.testAccuracy() != null) best = best == null ? m.testAccuracy() : Math.max(best, m.testAccuracy());
        Checkpoint.save(session, new Checkpoint.Position(m.epoch(), m.step(), best), file);
    }
}
