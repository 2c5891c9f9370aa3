package org.creditlab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Version, commit and machine facts recorded with every result. */
public record Provenance(String version, String gitCommit, String backend, int threads, long seed) {

    public static Provenance current(int threads, long seed) {
        return new Provenance(buildVersion(), buildCommit(), Backend.name(), threads, seed);
    }

    public RunResult.Provenance toResult(TrainingData d, List<String> events) {
        RunResult.Dataset ds = new RunResult.Dataset(d.dataset(), d.variant(), d.train().size(),
                d.validation() == null ? 0 : d.validation().size(), d.test().size(), d.sha256());
        return new RunResult.Provenance(version, gitCommit, backend, threads, seed,
                System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                ds, events);
    }

    /** The jar's Implementation-Version, or "dev" when run from classes. */
    public static String buildVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The commit of the checkout the code was built from, if the jar sits in one (target/ of a clone). */
    static String buildCommit() {
        try {
            Path here = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = here; dir != null; dir = dir.getParent()) {
                Path git = dir.resolve(".git");
                if (Files.isDirectory(git)) return readHead(git);
            }
        } catch (Exception e) {
            // provenance is best effort: an unknown commit is recorded as null
        }
        return null;
    }

    private static String readHead(Path git) throws IOException {
        String head = Files.readString(git.resolve("HEAD")).trim();
        if (!head.startsWith("ref: ")) return head;
        String ref = head.substring(5);
        Path loose = git.resolve(ref);
        if (Files.exists(loose)) return Files.readString(loose).trim();
        Path packed = git.resolve("packed-refs");
        if (Files.exists(packed)) {
            for (String line : Files.readAllLines(packed)) {
                if (line.endsWith(" " + ref)) return line.substring(0, line.indexOf(' '));
            }
        }
        return null;
    }
}
