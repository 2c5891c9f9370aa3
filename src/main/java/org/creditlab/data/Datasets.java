package org.creditlab.data;

import org.creditlab.UserError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The dataset registry and the one entry point that finds, verifies and reads a dataset. */
public final class Datasets {
    private Datasets() { }

    public static List<DatasetInfo> all() {
        return Catalog.ALL;
    }

    /** @throws UserError for an unknown name */
    public static DatasetInfo info(String name) {
        for (DatasetInfo d : Catalog.ALL) {
            if (d.name().equals(name)) return d;
        }
        throw new UserError("unknown dataset '" + name + "' (known: "
                + Catalog.ALL.stream().map(DatasetInfo::name).collect(Collectors.joining(", ")) + ")");
    }

    /** The bundled MNIST sample's facts (its files and digests), e.g. for `credit data verify`. */
    public static DatasetInfo mnistSample() {
        return Catalog.MNIST_SAMPLE;
    }

    /**
     * Locates the dataset (--data-dir, $CREDIT_DATA, ./data/&lt;name&gt;, system folders), downloads it into
     * ./data/&lt;name&gt; if allowed and needed, falls back to the bundled MNIST sample if allowed, verifies
     * each file's SHA-256 and reads it.
     *
     * @throws UserError with one clear line for anything wrong with the data (missing, corrupt, truncated)
     */
    public static LoadedDataset load(String name, DataRequest request) {
        return load(name, request, LookupContext.fromEnvironment());
    }

    static LoadedDataset load(String name, DataRequest request, LookupContext ctx) {
        DatasetInfo info = ctx.adjust(info(name));
        List<String> looked = new ArrayList<>();
        for (DatasetLocator.Place place : DatasetLocator.places(info, request.dataDir(), ctx)) {
            Optional<DatasetLocator.Found> found = DatasetLocator.probe(info, place.dir());
            if (found.isPresent()) {
                if (request.dataDir() != null && !place.origin().equals("--data-dir")) {
                    request.warnings().accept(name + " not found in --data-dir " + request.dataDir() + "; using "
                            + found.get().dir() + " (" + place.origin() + ")");
                }
                return read(info, found.get(), "full", request, "run 'credit data fetch " + name + "'");
            }
            List<String> missing = DatasetLocator.missingFrom(info, place.dir());
            looked.add(place.dir() + (missing.isEmpty() ? "" : " (incomplete: no " + String.join(", ", missing) + ")"));
        }

        String downloadFailure = null;
        if (request.allowDownload()) {
            try {
                Path dir = DatasetFetcher.fetch(info, ctx.workDir().resolve("data"), request.warnings());
                DatasetLocator.Found found = DatasetLocator.probe(info, dir)
                        .orElseThrow(() -> new IllegalStateException("fetch left " + dir + " incomplete"));
                return read(info, found, "full", request, "run 'credit data fetch " + name + "'");
            } catch (UserError e) {
                downloadFailure = e.getMessage().startsWith("could not download")
                        ? e.getMessage() : "could not download " + name + ": " + e.getMessage();
            }
        }

        if (name.equals("mnist") && request.allowSample()) {
            List<Path> samplePlaces = DatasetLocator.samplePlaces(ctx);
            for (Path dir : samplePlaces) {
                Optional<DatasetLocator.Found> found = DatasetLocator.probe(Catalog.MNIST_SAMPLE, dir);
                if (found.isPresent()) {
                    request.warnings().accept("full MNIST not found (looked in " + String.join(", ", looked)
                            + (downloadFailure == null ? "" : "; " + downloadFailure)
                            + "); using the bundled 10,000-digit sample (8,000 train / 2,000 test) from " + dir);
                    return read(Catalog.MNIST_SAMPLE, found.get(), "sample", request,
                            "restore data/mnist-sample (git checkout) or rerun scripts/make-mnist-sample.sh");
                }
            }
            looked.addAll(samplePlaces.stream().map(p -> p + " (sample)").toList());
        }
        if (downloadFailure != null) throw new UserError(downloadFailure);
        throw new UserError(name + " not found in " + String.join(", ", looked) + "; run 'credit data fetch " + name
                + "' on a machine with internet, or pass --data-dir");
    }

    private static LoadedDataset read(DatasetInfo info, DatasetLocator.Found found, String variant, DataRequest request,
                                      String remedy) {
        return switch (info.format()) {
            case IDX -> IdxDatasetLoader.load(info, variant, found.dir(), found.files(), request.warnings(), remedy);
            case CIFAR_BINARY -> found.cifarArchive()
                    ? CifarBinaryReader.loadArchive(info, found.files().get(Catalog.CIFAR_ARCHIVE),
                            CifarBinaryReader.RECORDS_PER_BATCH, request.warnings(), remedy)
                    : CifarBinaryReader.loadExtracted(info, found.dir(), found.files(),
                            CifarBinaryReader.RECORDS_PER_BATCH, request.warnings());
        };
    }
}
