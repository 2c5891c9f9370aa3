package org.creditlab.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A sweep file as read by {@link SweepFileReader}: the base config and the axes that vary.
 *
 * @param file        where it was read from (for messages)
 * @param name        the sweep's name (default directory runs/NAME)
 * @param configFile  a config file under the base (relative paths are relative to the sweep file), or null
 * @param base        config keys every cell shares (rule options under rule_options)
 * @param grids       one or more grids; the cells of each are its axes' full product, and the sweep's are their union
 * @param samples     random samples per grid point (1 when there is no random axis)
 * @param randomSeed  the seed of the random axes' draws
 * @param randomAxes  the random axes, drawn jointly for each sample
 * @param seeds       the seed dimension (empty: the base's seed only, no seed axis)
 * @param maxAttempts how often a failing cell is started before it is given up (rerunning the sweep retries)
 * @param slurm       the Slurm settings of the file (flags override them)
 */
public record SweepSpec(Path file, String name, Path configFile, ObjectNode base, List<List<Axis>> grids, int samples,
                        long randomSeed, List<Axis> randomAxes, List<Long> seeds, int maxAttempts, SlurmSettings slurm) {
}
