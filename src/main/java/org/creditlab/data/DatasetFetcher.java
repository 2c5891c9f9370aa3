package org.creditlab.data;

import org.creditlab.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** Downloads and checks datasets on disk; the library side of `credit data fetch|verify NAME`. */
public final class DatasetFetcher {
    private DatasetFetcher() { }

    /**
     * Downloads every missing or invalid file of {@code info} into {@code dir/<name>/}, trying the mirrors
     * in turn and verifying SHA-256. Files that already check out (also repacked copies with the reference
     * content) are kept.
     *
     * @param log receives one line per file (progress bars go to the terminal when there is one)
     * @return {@code dir/<name>}
     * @throws UserError naming the file and the expected and actual digest or size when a download fails
     */
    public static Path fetch(DatasetInfo info, Path dir, Consumer<String> log) {
        Path target = dir.resolve(info.name());
        boolean created = !Files.exists(target);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UserError("cannot create " + target + ": " + e.getMessage(), e);
        }
        Downloader downloader = new Downloader();
        try {
            for (DataFile f : info.files()) {
                FileCheck c = check(f, target);
                if (c.ok()) {
                    log.accept(f.name() + " already present and valid");
                    continue;
                }
                downloader.download(info, f, target.resolve(f.name()), log);
            }
        } catch (RuntimeException e) {
            // An offline attempt leaves nothing behind: not even the folder it made for the files.
            if (created) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException notEmpty) {
                    // some files did arrive: they are verified and kept for the next attempt
                }
            }
            throw e;
        }
        return target;
    }

    /** {@link #fetch(DatasetInfo, Path, Consumer)} logging to standard error. */
    public static Path fetch(DatasetInfo info, Path dir) {
        return fetch(info, dir, System.err::println);
    }

    /**
     * Checks each official file of {@code info} in {@code dir/<name>/} (or in {@code dir} itself when it
     * has no such subfolder): present, size and SHA-256. IDX files stored uncompressed are checked against
     * the reference digest of the decompressed content when one is known.
     */
    public static List<FileCheck> verify(DatasetInfo info, Path dir) {
        Path base = folderFor(info, dir);
        List<FileCheck> out = new ArrayList<>();
        for (DataFile f : info.files()) out.add(check(f, base));
        return out;
    }

    /**
     * The folder {@link #verify} checks for {@code dir}: the first of {@code dir/<name>}, {@code dir/<the name of a
     * system folder>} (Debian's {@code fashion-mnist}) and {@code dir} itself that holds any of the files; if none
     * does, {@code dir/<name>}, where {@code credit data fetch --dir dir} would put them.
     */
    public static Path folderFor(DatasetInfo info, Path dir) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(dir.resolve(info.name()));
        for (Path s : info.systemDirs()) {
            if (s.getFileName() != null) candidates.add(dir.resolve(s.getFileName().toString()));
        }
        candidates.add(dir);
        for (Path c : candidates) {
            if (!Files.isDirectory(c)) continue;
            for (DataFile f : info.files()) {
                if (Files.isRegularFile(c.resolve(f.name())) || Files.isRegularFile(c.resolve(f.rawName()))) return c;
            }
        }
        return dir.resolve(info.name());
    }

    /**
     * The folder {@code credit train} would read {@code info} from: the first complete copy in lookup order
     * (--data-dir, $CREDIT_DATA, ./data/&lt;name&gt;, system folders), if any.
     */
    public static java.util.Optional<Path> locate(DatasetInfo info, Path dataDir) {
        for (DatasetLocator.Place p : DatasetLocator.places(info, dataDir, LookupContext.fromEnvironment())) {
            if (DatasetLocator.probe(info, p.dir()).isPresent()) return java.util.Optional.of(p.dir());
        }
        return java.util.Optional.empty();
    }

    static FileCheck check(DataFile f, Path base) {
        Path gz = base.resolve(f.name());
        Path raw = base.resolve(f.rawName());
        Path p = Files.isRegularFile(gz) ? gz : Files.isRegularFile(raw) ? raw : null;
        if (p == null) {
            return new FileCheck(f.name(), gz, FileCheck.Status.MISSING, f.size(), -1, f.sha256(), null);
        }
        try {
            long size = Files.size(p);
            String sha = Sha256.hex(p);
            FileCheck.Status status;
            if (sha.equals(f.sha256())) {
                status = FileCheck.Status.OK;
            } else if (f.payloadSha256() != null) {
                status = f.payloadSha256().equals(payloadSha256(p)) ? FileCheck.Status.OK_REPACKED : FileCheck.Status.MISMATCH;
            } else if (!isGzip(p) && !p.equals(gz)) {
                status = FileCheck.Status.UNVERIFIED;
            } else {
                status = FileCheck.Status.MISMATCH;
            }
            return new FileCheck(f.name(), p, status, f.size(), size, f.sha256(), sha);
        } catch (IOException e) {
            throw new UserError("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static boolean isGzip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Digest of the decompressed content (of the file itself when it is not gzip); null if the gzip is damaged. */
    private static String payloadSha256(Path p) throws IOException {
        MessageDigest d = Sha256.newDigest();
        boolean gz = isGzip(p);
        try (InputStream file = Files.newInputStream(p);
             InputStream in = new DigestInputStream(gz ? new GZIPInputStream(file, 1 << 16) : file, d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            return null;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return Sha256.hex(d);
    }
}
