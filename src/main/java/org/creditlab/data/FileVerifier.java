package org.creditlab.data;

import org.creditlab.UserError;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Decides whether a file read from disk is the official one. A file is accepted when its own digest is
 * the official one, or when its decompressed content has the known payload digest (a repacked copy such
 * as Debian's). A mismatch is a UserError; a file that cannot be checked (uncompressed, no reference
 * payload digest) is accepted with a warning, because its structure is still validated by the reader.
 */
final class FileVerifier {
    private FileVerifier() { }

    enum Result { OFFICIAL, REPACKED, UNVERIFIED }

    /**
     * @param dataset      for messages
     * @param spec         the official file this one stands for
     * @param shownName    the file as named on disk (for messages)
     * @param fileSha256   digest of the bytes on disk
     * @param compressed   whether the bytes on disk are gzip (then a mismatch of the official digest may
     *                     still be a repack)
     * @param payloadSha256 digest of the decompressed content, computed only when needed
     * @param remedy       what to do about a corrupt file, e.g. "run 'credit data fetch mnist'"
     */
    static Result check(String dataset, DataFile spec, String shownName, String fileSha256, boolean compressed,
                        Supplier<String> payloadSha256, Consumer<String> warnings, String remedy) {
        if (spec.sha256().equals(fileSha256)) return Result.OFFICIAL;
        String payload = null;
        if (spec.payloadSha256() != null) {
            payload = payloadSha256.get();
            if (spec.payloadSha256().equals(payload)) return Result.REPACKED;
        } else if (!compressed) {
            warnings.accept(dataset + ": " + shownName + " is stored uncompressed and no reference digest of the"
                    + " uncompressed file is known; its format was checked but its content is unverified");
            return Result.UNVERIFIED;
        }
        String owner = Catalog.ownerOf(fileSha256);
        if (owner == null && payload != null) owner = Catalog.ownerOf(payload);
        if (owner != null) {
            throw new UserError(shownName + " is the " + owner + ", not " + dataset + "'s; point --data-dir at the "
                    + dataset + " files");
        }
        // for an uncompressed copy, compare with the digest an uncompressed official file would have
        String expected = compressed || spec.payloadSha256() == null ? spec.sha256() : spec.payloadSha256();
        throw new UserError(dataset + ": " + shownName + " is corrupt or not the official file (sha256 " + fileSha256
                + ", expected " + expected + "); delete it and " + remedy);
    }
}
