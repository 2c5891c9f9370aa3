package org.creditlab.data;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How {@link Datasets#load} may find the data.
 *
 * @param dataDir       --data-dir, or null: a directory holding the files directly, or holding &lt;name&gt;/
 * @param allowDownload fetch missing files from the mirrors into ./data/&lt;name&gt;
 * @param allowSample   for mnist only: fall back to the bundled 8,000/2,000 sample (with a warning)
 * @param warnings      receives one-line warnings (fallbacks, unverifiable files); null discards them
 */
public record DataRequest(Path dataDir, boolean allowDownload, boolean allowSample, Consumer<String> warnings) {
    public DataRequest {
        if (warnings == null) warnings = w -> { };
    }

    /** Local files only (no download, no sample), warnings discarded: what tests and batch jobs want. */
    public static DataRequest localOnly(Path dataDir) {
        return new DataRequest(dataDir, false, false, null);
    }
}
