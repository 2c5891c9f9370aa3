package org.creditlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.creditlab.nn.Network;
import org.creditlab.rules.Batch;
import org.creditlab.rules.LearningRule;
import org.creditlab.rules.RuleState;
import org.creditlab.rules.StepContext;
import org.creditlab.rules.Updates;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A conv layer whose weights overflow must end the run as diverged, even when the loss stays finite. On LeNet,
 * kp and sa at lr 0.03 ended "completed" at exactly 10 % with NaN first-layer kernels: ReLU maps NaN to 0 and
 * max-pooling never selects it, so the loss sat at ln 10 and the step loop's loss check never fired.
 */
class NonFiniteWeightsDivergeTest {
    private static RunConfig lenetOnTheSample() {
        RunConfig c = new RunConfig();
        c.rule = "bp";
        c.dataset = "mnist";
        c.download = false;
        c.network = "lenet";
        c.trainSubset = 200;
        c.batchSize = 50;
        c.epochs = 3;
        c.lr = 0.01;
        c.seed = 3;
        return c;
    }

    /**
     * bp, except that one step's update sends the first conv layer's bias of channel 0 to −∞ (an overflow). That
     * channel's pre-activations are then −∞, ReLU makes them 0 and its gradients 0, so the loss stays finite
     * while the parameter stays −∞ for the rest of the run: only a check of the parameters can see it.
     */
    private static LearningRule poisonsFirstKernelAt(long poisonStep, LearningRule bp) {
        return new LearningRule() {
            @Override public String name() { return "bp"; }
            @Override public Updates compute(Network net, Batch batch, RuleState state, StepContext ctx) {
                Updates u = bp.compute(net, batch, state, ctx);
                if (ctx.step() == poisonStep) {
                    var bias = net.params().get(1);
                    INDArray update = Nd4j.zeros(net.dataType(), bias.value().shape());
                    update.putScalar(0, Double.POSITIVE_INFINITY);   // W ← W − lr·update
                    u.put(bias.name(), update);
                }
                return u;
            }
        };
    }

    @Test void anInfiniteBiasHiddenByReluEndsTheRunAsDiverged() {
        Trainer.Session s = Experiment.prepare(lenetOnTheSample(), w -> { });
        assertTrue(s.network().params().get(1).name().endsWith("b"), s.network().params().get(1).name());
        Trainer.Session poisoned = new Trainer.Session(s.config(), s.network(), poisonsFirstKernelAt(1, s.rule()),
                s.ruleState(), s.optimizer(), s.schedule(), s.data(), s.random(), s.provenance());
        RunResult result = new Trainer(poisoned, List.of()).run();
        assertEquals(RunResult.DIVERGED, result.status(), "message: " + result.message());
        assertEquals(1, result.finalMetrics().epochs(), "it ends at the first epoch boundary after the overflow");
        assertTrue(result.message().contains("parameter " + s.network().params().get(1).name() + " became NaN or infinite"),
                result.message());
        assertTrue(Double.isFinite(result.finalMetrics().trainLoss()), "the loss never showed it");
    }

    @Test void finiteWeightsPassTheCheck() {
        Trainer.Session s = Experiment.prepare(lenetOnTheSample(), w -> { });
        assertNull(Trainer.firstNonFiniteParameter(s.network()));
        s.network().params().get(3).value().putScalar(0, Double.POSITIVE_INFINITY);
        assertEquals(s.network().params().get(3).name(), Trainer.firstNonFiniteParameter(s.network()));
    }
}
