package org.creditlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.rules.Angles;
import org.creditlab.rules.Backprop;
import org.creditlab.rules.Batch;
import org.creditlab.rules.LearningRule;
import org.creditlab.rules.RuleState;
import org.creditlab.rules.Updates;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a rule's update relates to the backprop gradient on the same batch and weights: per parameter the
 * angle in degrees (0 = same direction), the norm ratio ‖update‖/‖gradient‖ and the fraction of entries
 * whose signs agree; plus, under "rule", whatever the rule reports about itself (angle between W and its
 * feedback, PEPITA's F angle, ...).
 * The references all log these (rules.md §1.5, §2, §7).
 */
public final class AlignmentProbe {
    private AlignmentProbe() { }

    /** An "alignment" event for metrics.jsonl. */
    public static Map<String, Object> measure(Network net, LearningRule rule, RuleState state, Batch batch,
                                              Updates updates, long step, int epoch) {
        Updates truth = Backprop.gradient(net, batch);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "alignment");
        e.put("epoch", epoch + 1);
        e.put("step", step);
        for (Param p : net.params()) {
            INDArray u = updates.get(p.name());
            INDArray g = truth.get(p.name());
            if (u == null || g == null) continue;
            e.put(p.name() + ".angle", Angles.degrees(u, g));
            e.put(p.name() + ".norm_ratio", g.norm2Number().doubleValue() == 0 ? Double.NaN : Angles.normRatio(u, g));
            e.put(p.name() + ".sign_agreement", Angles.signAgreement(u, g));
        }
        Map<String, Double> own = rule.diagnostics(net, state);
        if (!own.isEmpty()) e.put("rule", new LinkedHashMap<>(own));
        return e;
    }
}
