package org.creditlab.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The content of result.json. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(String status, String message, @JsonProperty("final") Final finalMetrics, Double bestTestAccuracy,
                        Provenance provenance) {
    public static final String COMPLETED = "completed";
    public static final String DIVERGED = "diverged";
    public static final String FAILED = "failed";
    /** In progress, or killed without a chance to write more (result.json is rewritten after every epoch). */
    public static final String RUNNING = "running";
    /** Stopped by SIGTERM or SIGINT (or {@link Trainer#requestStop}); resumable from its checkpoint. */
    public static final String INTERRUPTED = "interrupted";

    /** Figures at the end of the run (for a diverged run: the last evaluation before it). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Final(Double testAccuracy, Double testLoss, Double trainLoss, Double validationAccuracy,
                        Double validationLoss, int epochs, long steps, double wallSeconds, double samplesPerSecond) { }

    /** Where the numbers came from. */
    public record Provenance(String version, String gitCommit, String backend, int threads, long seed,
                             String java, String os, Dataset dataset, List<String> events) { }

    public record Dataset(String name, String variant, long trainExamples, long validationExamples,
                          long testExamples, Map<String, String> sha256) { }
}
