package org.creditlab.experiment;

import java.nio.file.Path;

/**
 * Saves {@link Checkpoint#FILE} in the run directory whenever the trainer reaches a checkpoint: at the start
 * of a fresh run, after every epoch, and where an interrupted run stopped.
 */
public final class CheckpointWriter implements RunListener {
    private final Trainer.Session session;
    private final Path file;

    public CheckpointWriter(Trainer.Session session, Path runDir) {
        this.session = session;
        this.file = runDir.resolve(Checkpoint.FILE);
    }

    @Override public void onCheckpoint(Checkpoint.Position position) {
        Checkpoint.save(session, position, file);
    }
}
