package org.creditlab.rules;

import org.nd4j.linalg.api.rng.Random;

/**
 * Where a step sits in training and the random sources a rule may draw from. Each source is reseeded
 * from (run seed, purpose, step) by the trainer, so a step's draws do not depend on what ran before it.
 *
 * @param step          global step index, from 0
 * @param epoch         epoch index, from 0
 * @param learningRate  the optimizer's learning rate for this step (after the schedule)
 * @param noise         source for perturbations (node/weight perturbation)
 * @param dropout       source for dropout masks
 * @param measured      whether the caller will ask for this step's {@link LearningRule#diagnostics}: a rule may
 *                      skip the step-specific numbers otherwise (the trainer asks every diagnostics_every steps)
 */
public record StepContext(long step, int epoch, double learningRate, Random noise, Random dropout, boolean measured) {
    /** A step whose diagnostics may be asked for. */
    public StepContext(long step, int epoch, double learningRate, Random noise, Random dropout) {
        this(step, epoch, learningRate, noise, dropout, true);
    }
}
