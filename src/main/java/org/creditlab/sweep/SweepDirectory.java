package org.creditlab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.creditlab.UserError;
import org.creditlab.experiment.AtomicFiles;
import org.creditlab.experiment.ConfigResolver;

/**
 * A sweep's directory: {@code sweep.json} (a copy of the sweep file), {@code manifest.json}, {@code configs/CELL.json}
 * (each cell's resolved config, what {@code credit train --config} reads), {@code attempts/CELL.json},
 * {@code logs/}, {@code slurm/}, and one ordinary run directory per cell, named after it.
 */
public final class SweepDirectory {
    public static final String SWEEP_FILE = "sweep.json";

    private final Path dir;
    private final Manifest manifest;

    private SweepDirectory(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    public static SweepDirectory open(Path dir) {
        return new SweepDirectory(dir, Manifest.read(dir));
    }

    public static boolean isSweep(Path dir) {
        return Files.isRegularFile(dir.resolve(Manifest.FILE));
    }

    /**
     * Creates the sweep directory for {@code cells}, or checks that the one there holds the same cells. A sweep
     * file whose cells differ from the directory's is refused unless {@code extend}: then the new cells are added
     * after the old ones (indices never move) and old cells the file no longer has are retired, not deleted.
     */
    public static SweepDirectory prepare(Path dir, SweepSpec spec, List<Cell> cells, boolean extend) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UserError("--out " + dir + " is a file, not a directory");
        if (!isSweep(dir)) {
            if (Files.isDirectory(dir) && Files.exists(dir.resolve("config.json"))) {
                throw new UserError(dir + " holds a run, not a sweep; choose another --out");
            }
            // a folder of other runs (experiments/*.sh write runs/NAME/RULE) must not become a sweep's by accident
            if (Files.isDirectory(dir)) try (var entries = Files.list(dir)) {
                if (entries.anyMatch(p -> !p.getFileName().toString().equals(org.creditlab.experiment.RunLock.FILE))) {
                    throw new UserError(dir + " exists and is not a sweep directory (it has no " + Manifest.FILE
                            + "); choose another --out or an empty directory");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot list " + dir, e);
            }
            for (Cell c : cells) writeConfig(dir, c);
            copySweepFile(dir, spec, null);
            Manifest m = new Manifest(spec.name(), cells, spec.maxAttempts(), new ArrayList<>(List.of(revision(cells.size(), cells.size()))));
            m.write(dir);
            return new SweepDirectory(dir, m);
        }
        Manifest old = Manifest.read(dir);
        List<String> oldNames = old.active().stream().map(Cell::name).toList();
        List<String> newNames = cells.stream().map(Cell::name).toList();
        if (oldNames.equals(newNames)) {
            if (old.maxAttempts() != spec.maxAttempts()) {
                Manifest m = new Manifest(old.name(), old.cells(), spec.maxAttempts(), old.revisions());
                m.write(dir);
                return new SweepDirectory(dir, m);
            }
            return new SweepDirectory(dir, old);
        }
        Set<String> now = new HashSet<>(newNames);
        Set<String> before = new HashSet<>();
        old.cells().forEach(c -> before.add(c.name()));
        long added = cells.stream().filter(c -> !before.contains(c.name())).count();
        long dropped = old.active().stream().filter(c -> !now.contains(c.name())).count();
        if (!extend) {
            throw new UserError("sweep " + dir + " was made from a different sweep file (" + added + " cells would be added, "
                    + dropped + " dropped; compare with " + dir.resolve(SWEEP_FILE) + "): pass --extend to add the new cells to this"
                    + " sweep, or choose another --out");
        }
        List<Cell> merged = new ArrayList<>();
        for (Cell c : old.cells()) merged.add(now.contains(c.name()) ? new Cell(c.index(), c.name(), c.values(), null, c.hash(), false) : c.retire());
        for (Cell c : cells) {
            if (before.contains(c.name())) continue;
            Cell n = c.withIndex(merged.size());
            writeConfig(dir, n);
            merged.add(n);
        }
        copySweepFile(dir, spec, old.revisions().size());
        List<Map<String, Object>> revisions = new ArrayList<>(old.revisions());
        Map<String, Object> r = revision(cells.size(), (int) added);
        r.put("retired", dropped);
        revisions.add(r);
        Manifest m = new Manifest(old.name(), merged, spec.maxAttempts(), revisions);
        m.write(dir);
        return new SweepDirectory(dir, m);
    }

    private static Map<String, Object> revision(int cells, int added) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        r.put("cells", cells);
        r.put("added", added);
        return r;
    }

    /** Copies the sweep file in; on --extend the previous copy is kept as sweep.N.json. */
    private static void copySweepFile(Path dir, SweepSpec spec, Integer previousRevision) {
        try {
            Path copy = dir.resolve(SWEEP_FILE);
            if (previousRevision != null && Files.exists(copy)) {
                Files.copy(copy, dir.resolve("sweep." + previousRevision + ".json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            AtomicFiles.write(copy, Files.readAllBytes(spec.file()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot copy " + spec.file() + " into " + dir, e);
        }
    }

    private static void writeConfig(Path dir, Cell c) {
        AtomicFiles.writeString(configFile(dir, c), ConfigResolver.toJson(c.config()) + "\n");
    }

    private static Path configFile(Path dir, Cell c) { return dir.resolve("configs").resolve(c.name() + ".json"); }

    public Path dir() { return dir; }
    public Manifest manifest() { return manifest; }
    public List<Cell> cells() { return manifest.active(); }

    public Cell cell(int index) {
        if (index < 0 || index >= manifest.cells().size()) {
            throw new UserError("sweep " + dir + " has no cell " + index + " (its cells are 0 to " + (manifest.cells().size() - 1) + ")");
        }
        return manifest.cells().get(index);
    }

    public Path runDir(Cell c) { return dir.resolve(c.name()); }
    public Path configFile(Cell c) { return configFile(dir, c); }
    public Path logFile(Cell c) { return dir.resolve("logs").resolve(c.name() + ".log"); }
    public Path attemptsFile(Cell c) { return dir.resolve("attempts").resolve(c.name() + ".json"); }
}
