package org.creditlab.cli;

import java.util.Locale;
import org.creditlab.data.DatasetInfo;
import org.creditlab.data.Datasets;
import picocli.CommandLine.Command;

/** {@code credit datasets}: what can be passed to --dataset. */
@Command(name = "datasets", mixinStandardHelpOptions = true, description = "List the datasets.")
public final class DatasetsCommand implements Runnable {
    @Override public void run() {
        for (DatasetInfo d : Datasets.all()) {
            System.out.printf(Locale.ROOT, "%-8s %s%n", d.name(), d.description());
        }
    }
}
