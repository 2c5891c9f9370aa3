package org.creditlab.experiment;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One evaluation, written as one line of metrics.jsonl. Losses are batch means; accuracies are percent.
 * {@code trainLoss} is the mean of the epoch's training-step losses; {@code trainAccuracy} is measured after the
 * epoch, like the test accuracy, on the first {@code train_accuracy_examples} training examples.
 * Absent splits are null and left out of the JSON; {@code extra} entries (diagnostics) are written inline.
 * Wall-clock time is kept out of the file (it is in result.json) so that two runs with the same seed and
 * thread count write byte-identical metrics.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "epoch", "step"})
public record EpochMetrics(int epoch, long step, Double trainLoss, Double trainAccuracy, Double testLoss, Double testAccuracy,
                           Double validationLoss, Double validationAccuracy, double lr, @JsonIgnore double seconds,
                           @JsonIgnore Map<String, Object> extra) {
    public static final String TYPE = "epoch";

    /** Without a train accuracy (train_accuracy_examples = 0, or a metrics line written before it existed). */
    public EpochMetrics(int epoch, long step, Double trainLoss, Double testLoss, Double testAccuracy,
                        Double validationLoss, Double validationAccuracy, double lr, double seconds, Map<String, Object> extra) {
        this(epoch, step, trainLoss, null, testLoss, testAccuracy, validationLoss, validationAccuracy, lr, seconds, extra);
    }

    @JsonProperty("type")
    public String type() { return TYPE; }

    @JsonAnyGetter
    public Map<String, Object> inlineExtra() { return extra == null ? Map.of() : extra; }
}
