package org.creditlab.experiment;

import org.creditlab.nn.ForwardPass;
import org.creditlab.nn.Network;
import org.creditlab.rules.ErrorPropagation;
import org.creditlab.rules.LearningRule;
import org.creditlab.rules.RuleState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Mean loss and accuracy of a network on a labelled set, in chunks so memory stays bounded. */
public final class Evaluation {
    private Evaluation() { }

    public record Result(double loss, double accuracy, int examples) { }

    /**
     * @param x      inputs [N, ...]
     * @param y      targets [N, C]
     * @param labels class indices
     */
    public static Result evaluate(Network net, LearningRule rule, RuleState state, INDArray x, INDArray y,
                                  int[] labels, int chunk) {
        int n = labels.length;
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            INDArray xc = x.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            INDArray yc = y.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            ForwardPass pass = net.forward(xc);
            lossSum += ErrorPropagation.loss(net, pass, yc) * (end - start);
            INDArray out = rule.predict(net, pass, xc, state);
            INDArray predicted = out.argMax(1);
            for (int i = start; i < end; i++) {
                if (predicted.getInt(i - start) == labels[i]) correct++;
            }
        }
        return new Result(lossSum / n, 100.0 * correct / n, n);
    }
}
