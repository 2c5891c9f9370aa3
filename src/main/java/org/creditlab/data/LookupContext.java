package org.creditlab.data;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The parts of the environment that dataset lookup depends on, gathered in one place so tests can
 * replace the working directory, $CREDIT_DATA, system folders and mirrors with temporary ones.
 *
 * @param workDir        base of ./data (the process working directory in production)
 * @param creditDataEnv  value of $CREDIT_DATA, or null
 * @param creditHome     -Dcredit.home, or null: another place to find data/mnist-sample
 * @param codeDir        where the credit classes/jar live, or null: the sample is also looked for near it
 * @param systemDirs     replaces each dataset's own system folders when non-null
 * @param mirrorBase     when non-null, every dataset downloads from mirrorBase/&lt;name&gt;/ only ($CREDIT_MIRROR)
 */
record LookupContext(Path workDir, String creditDataEnv, Path creditHome, Path codeDir, List<Path> systemDirs,
                     URI mirrorBase) {

    static LookupContext fromEnvironment() {
        String home = System.getProperty("credit.home");
        String mirror = System.getProperty("credit.mirror", System.getenv("CREDIT_MIRROR"));
        return new LookupContext(Path.of("").toAbsolutePath(), blankToNull(System.getenv("CREDIT_DATA")),
                home == null || home.isBlank() ? null : Path.of(home), locateCode(), null,
                mirror == null || mirror.isBlank() ? null : URI.create(mirror.endsWith("/") ? mirror : mirror + "/"));
    }

    /** The dataset as this context sees it (mirror and system-folder overrides applied). */
    DatasetInfo adjust(DatasetInfo info) {
        DatasetInfo d = info;
        if (mirrorBase != null) d = d.withMirrors(List.of(mirrorBase.resolve(info.name() + "/")));
        if (systemDirs != null) d = d.withSystemDirs(systemDirs);
        return d;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The jar's folder, or the classes folder when run from target/classes; null if unknown. */
    private static Path locateCode() {
        try {
            var src = LookupContext.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path p = Path.of(src.getLocation().toURI());
            return Files.isDirectory(p) ? p : p.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return null; // unusual class loaders: the sample is then found via ./data or credit.home only
        }
    }
}
