package org.creditlab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Knows where a dataset may be on disk and whether a folder holds a complete copy. It only looks;
 * reading and verifying is the loaders' job.
 */
final class DatasetLocator {
    private DatasetLocator() { }

    /** A folder to look in and why (for messages). */
    record Place(Path dir, String origin) { }

    /**
     * A complete copy. {@code files} maps each needed file's official name (IDX: the .gz name even when the
     * raw file is used; CIFAR: the archive name, or the batch names when extracted) to the file on disk.
     */
    record Found(Path dir, Map<String, Path> files, boolean cifarArchive) { }

    /** Lookup order: --data-dir, $CREDIT_DATA (each as the folder itself or its &lt;name&gt;/), ./data/&lt;name&gt;, system folders. */
    static List<Place> places(DatasetInfo info, Path dataDir, LookupContext ctx) {
        List<Place> out = new ArrayList<>();
        if (dataDir != null) {
            Path d = ctx.workDir().resolve(dataDir);
            out.add(new Place(d.resolve(info.name()), "--data-dir"));
            out.add(new Place(d, "--data-dir"));
        }
        if (ctx.creditDataEnv() != null) {
            Path d = ctx.workDir().resolve(ctx.creditDataEnv());
            out.add(new Place(d.resolve(info.name()), "$CREDIT_DATA"));
            out.add(new Place(d, "$CREDIT_DATA"));
        }
        out.add(new Place(ctx.workDir().resolve("data").resolve(info.name()), "./data"));
        for (Path s : info.systemDirs()) out.add(new Place(s, "system"));
        return out;
    }

    /** Candidate folders of the bundled MNIST sample, most specific first, without duplicates. */
    static List<Path> samplePlaces(LookupContext ctx) {
        Set<Path> out = new LinkedHashSet<>();
        out.add(ctx.workDir().resolve("data/mnist-sample"));
        if (ctx.creditHome() != null) out.add(ctx.creditHome().resolve("data/mnist-sample"));
        // jar in <home>/ or <home>/target/, classes in <home>/target/classes/: walk up at most 3 levels
        Path p = ctx.codeDir();
        for (int level = 0; p != null && level < 3; level++, p = p.getParent()) {
            out.add(p.resolve("data/mnist-sample").normalize());
        }
        return new ArrayList<>(out);
    }

    static Optional<Found> probe(DatasetInfo info, Path dir) {
        if (!Files.isDirectory(dir)) return Optional.empty();
        return switch (info.format()) {
            case IDX -> probeIdx(info, dir);
            case CIFAR_BINARY -> probeCifar(dir);
        };
    }

    /** Names of the needed files a folder lacks, when it has some but not all (empty otherwise). */
    static List<String> missingFrom(DatasetInfo info, Path dir) {
        if (!Files.isDirectory(dir) || info.format() != DatasetFormat.IDX) return List.of();
        List<String> missing = new ArrayList<>();
        for (DataFile f : info.files()) {
            if (idxFile(dir, f) == null) missing.add(f.name());
        }
        return missing.size() == info.files().size() ? List.of() : missing;
    }

    private static Optional<Found> probeIdx(DatasetInfo info, Path dir) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (DataFile f : info.files()) {
            Path p = idxFile(dir, f);
            if (p == null) return Optional.empty();
            files.put(f.name(), p);
        }
        return Optional.of(new Found(dir, files, false));
    }

    /** The gzipped file if present, else the uncompressed one, else null. */
    private static Path idxFile(Path dir, DataFile f) {
        Path gz = dir.resolve(f.name());
        if (Files.isRegularFile(gz)) return gz;
        Path raw = dir.resolve(f.rawName());
        return Files.isRegularFile(raw) ? raw : null;
    }

    /** The archive is preferred: it can be verified against the official digest, extracted files cannot. */
    private static Optional<Found> probeCifar(Path dir) {
        Path archive = dir.resolve(Catalog.CIFAR_ARCHIVE);
        if (Files.isRegularFile(archive)) {
            return Optional.of(new Found(dir, Map.of(Catalog.CIFAR_ARCHIVE, archive), true));
        }
        for (Path d : List.of(dir.resolve(CifarBinaryReader.ARCHIVE_DIR), dir)) {
            Map<String, Path> files = new LinkedHashMap<>();
            for (String b : CifarBinaryReader.batchNames()) {
                if (Files.isRegularFile(d.resolve(b))) files.put(b, d.resolve(b));
            }
            if (files.size() == CifarBinaryReader.batchNames().size()) return Optional.of(new Found(d, files, false));
        }
        return Optional.empty();
    }
}
