package org.creditlab.experiment;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.creditlab.UserError;

/**
 * A network's memory needs, estimated from its layer shapes before anything is allocated, so that a network
 * that cannot fit ({@code --hidden 100000000}: 78 G parameters) is a one-line error instead of a native
 * {@code std::bad_alloc}. The estimate counts every parameter {@link #COPIES_PER_PARAMETER} times (the value,
 * its update, a rule's feedback or frozen copy, optimizer state; Adam two more) and the activations of a
 * training and an evaluation batch; it is compared with the machine's (or container's) physical memory.
 */
public final class MemoryEstimate {
    static final int COPIES_PER_PARAMETER = 4;
    /** Arrays per unit and example kept by a forward and backward pass (input, pre-activation, output, error, ...). */
    static final int ARRAYS_PER_UNIT = 6;

    private MemoryEstimate() { }

    /** Bytes a run of {@code cfg} needs on examples of {@code exampleShape} with {@code classes} outputs. */
    public static double bytes(RunConfig cfg, long[] exampleShape, int classes) {
        long[] size = Experiment.networkSpec(cfg, exampleShape, classes).size();
        double params = size[0];
        double units = size[1];
        double width = cfg.dtype.equals("float64") ? 8 : 4;
        int copies = COPIES_PER_PARAMETER + (cfg.optimizer.equals("adam") ? 2 : 0);
        double activations = (double) (cfg.batchSize + cfg.evalBatchSize) * units * ARRAYS_PER_UNIT;
        return (params * copies + activations) * width;
    }

    /** Physical memory of the machine or container, in bytes (0 if unknown). */
    public static long physicalBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** @throws UserError when the estimate exceeds the physical memory */
    public static void check(RunConfig cfg, long[] exampleShape, int classes) {
        double need = bytes(cfg, exampleShape, classes);
        long have = physicalBytes();
        if (have > 0 && need > have) {
            String arch = Experiment.networkSpec(cfg, exampleShape, classes).specText();
            throw new UserError(String.format(Locale.ROOT,
                    "network %s needs about %s (parameters, updates, optimizer state and activations in %s), "
                            + "more than this machine's %s of memory: use smaller widths or --batch-size",
                    arch, human(need), cfg.dtype, human(have)));
        }
    }

    static String human(double bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        int u = 0;
        while (bytes >= 1024 && u < units.length - 1) {
            bytes /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, bytes >= 100 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
    }
}
