package org.creditlab.data;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.creditlab.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Downloads one official file, trying each mirror in turn. The body goes to a temporary file in the
 * target folder and is renamed into place only once its SHA-256 matches, so an interrupted or bad
 * download never leaves a file that a later run could mistake for data.
 *
 * <p>HttpURLConnection rather than java.net.http.HttpClient: its read timeout turns a stalled mirror
 * into an error, where HttpClient's body stream would wait forever. Redirects are followed by hand
 * because HttpURLConnection does not follow http -> https (which the KMNIST site may send).
 */
final class Downloader {
    private static final int MAX_REDIRECTS = 5;
    private final int timeoutMillis;

    Downloader() {
        this(60_000);
    }

    /** @param timeoutMillis connect timeout and longest wait for the next bytes of a body */
    Downloader(int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** A failed attempt at one mirror; the next mirror is tried. */
    private static final class AttemptFailed extends Exception {
        AttemptFailed(String message) {
            super(message);
        }
    }

    void download(DatasetInfo info, DataFile file, Path target, Consumer<String> log) {
        if (info.mirrors().isEmpty()) {
            throw new UserError("could not download " + info.name() + ": no mirror is known for " + file.name());
        }
        List<String> failures = new ArrayList<>();
        for (URI mirror : info.mirrors()) {
            URI url = info.url(mirror, file);
            try {
                attempt(url, file, target, log);
                return;
            } catch (AttemptFailed e) {
                failures.add(url + ": " + e.getMessage());
                log.accept("download of " + file.name() + " from " + url + " failed: " + e.getMessage());
            }
        }
        throw new UserError("could not download " + info.name() + ": " + file.name() + " failed from every mirror ("
                + String.join("; ", failures) + ")");
    }

    private void attempt(URI url, DataFile file, Path target, Consumer<String> log) throws AttemptFailed {
        Path tmp;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + file.name() + ".", ".part");
        } catch (IOException e) {
            throw new UserError("cannot write in " + target.getParent() + ": " + e.getMessage(), e);
        }
        boolean moved = false;
        HttpURLConnection connection = null;
        try {
            // Inside the try: an unreachable mirror (no network, HTTP 404) must not leave the empty temp file.
            connection = open(url);
            long declared = connection.getContentLengthLong();
            MessageDigest digest = Sha256.newDigest();
            long got = 0;
            log.accept("downloading " + file.name() + " (" + mb(file.size()) + ") from " + url);
            try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(tmp);
                 Progress progress = Progress.start(file.name(), file.size())) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    digest.update(buf, 0, n);
                    got += n;
                    progress.stepTo(got);
                }
            } catch (IOException e) {
                throw new AttemptFailed("truncated: the connection broke after " + got + " of "
                        + (declared >= 0 ? declared : file.size()) + " bytes (" + describe(e) + ")");
            }
            if (declared >= 0 && got != declared) {
                throw new AttemptFailed("truncated: got " + got + " of the " + declared + " bytes announced");
            }
            if (got < file.size()) {
                throw new AttemptFailed("truncated: got " + got + " of the " + file.size() + " bytes of " + file.name());
            }
            String sha = Sha256.hex(digest);
            if (!sha.equals(file.sha256())) {
                throw new AttemptFailed("SHA-256 mismatch for " + file.name() + ": expected " + file.sha256() + " ("
                        + file.size() + " bytes), got " + sha + " (" + got + " bytes)");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException e) {
            throw new UserError("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (connection != null) connection.disconnect();
            if (!moved) deleteQuietly(tmp);
        }
    }

    /** Connects and follows up to MAX_REDIRECTS redirects (also across http/https); fails on anything but 200. */
    private HttpURLConnection open(URI url) throws AttemptFailed {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c;
            int status;
            try {
                c = (HttpURLConnection) current.toURL().openConnection();
                c.setConnectTimeout(timeoutMillis);
                c.setReadTimeout(timeoutMillis);
                c.setInstanceFollowRedirects(false);
                c.setRequestProperty("User-Agent", "credit-dataset-fetcher");
                status = c.getResponseCode();
            } catch (IOException | IllegalArgumentException e) {
                throw new AttemptFailed(e instanceof IOException io ? describe(io) : e.getMessage());
            }
            if (status == 200) return c;
            String location = c.getHeaderField("Location");
            c.disconnect();
            if (status >= 300 && status < 400 && location != null) {
                current = current.resolve(location);
                continue;
            }
            throw new AttemptFailed("HTTP " + status);
        }
        throw new AttemptFailed("more than " + MAX_REDIRECTS + " redirects");
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the partial download " + p, e);
        }
    }

    /** A progress bar on a terminal; silence otherwise (the caller logs one line per file instead). */
    private interface Progress extends AutoCloseable {
        void stepTo(long bytes);

        @Override void close();

        static Progress start(String name, long size) {
            if (System.console() == null) {
                return new Progress() {
                    @Override public void stepTo(long bytes) { }
                    @Override public void close() { }
                };
            }
            ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(size)
                    .setUnit("MB", 1_000_000).showSpeed().build();
            return new Progress() {
                @Override public void stepTo(long bytes) { bar.stepTo(bytes); }
                @Override public void close() { bar.close(); }
            };
        }
    }
}
