package org.creditlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.creditlab.nn.Network;
import org.creditlab.nn.Param;
import org.creditlab.rules.Backprop;
import org.creditlab.rules.Batch;
import org.creditlab.rules.LearningRule;
import org.creditlab.rules.RuleState;
import org.creditlab.rules.Updates;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

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
            e.put(p.name() + ".angle", angleDegrees(u, g));
            double gn = g.norm2Number().doubleValue();
            e.put(p.name() + ".norm_ratio", gn == 0 ? Double.NaN : u.norm2Number().doubleValue() / gn);
            e.put(p.name() + ".sign_agreement", signAgreement(u, g));
        }
        Map<String, Double> own = rule.diagnostics(net, state);
        if (!own.isEmpty()) e.put("rule", new LinkedHashMap<>(own));
        return e;
    }

    /** The angle between two tensors seen as vectors, in degrees; NaN when either is zero. */
    public static double angleDegrees(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE).reshape(a.length());
        INDArray y = b.castTo(DataType.DOUBLE).reshape(b.length());
        double na = x.norm2Number().doubleValue();
        double nb = y.norm2Number().doubleValue();
        if (na == 0 || nb == 0) return Double.NaN;
        double cos = x.mul(y).sumNumber().doubleValue() / (na * nb);
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
    }

    /** Fraction of entries with the same sign (zeros count as agreeing only with zeros). */
    public static double signAgreement(INDArray a, INDArray b) {
        INDArray sa = Transforms.sign(a.castTo(DataType.DOUBLE), true);
        INDArray sb = Transforms.sign(b.castTo(DataType.DOUBLE), true);
        return sa.eq(sb).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }
}
