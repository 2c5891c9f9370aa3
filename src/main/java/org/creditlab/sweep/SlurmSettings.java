package org.creditlab.sweep;

/**
 * How each array task is requested from Slurm; null fields are left to the cluster's defaults.
 *
 * @param partition   {@code --partition}
 * @param time        {@code --time} per task, e.g. "01:00:00"
 * @param cpus        {@code --cpus-per-task}, also the task's --threads
 * @param mem         {@code --mem}, e.g. "4G"
 * @param maxRunning  the array's {@code %K}: at most K tasks at a time
 */
public record SlurmSettings(String partition, String time, Integer cpus, String mem, Integer maxRunning) {
    public static final SlurmSettings NONE = new SlurmSettings(null, null, null, null, null);

    /** These settings with every non-null field of {@code flags} replacing the file's. */
    public SlurmSettings overriddenBy(SlurmSettings flags) {
        return new SlurmSettings(flags.partition != null ? flags.partition : partition, flags.time != null ? flags.time : time,
                flags.cpus != null ? flags.cpus : cpus, flags.mem != null ? flags.mem : mem,
                flags.maxRunning != null ? flags.maxRunning : maxRunning);
    }
}
