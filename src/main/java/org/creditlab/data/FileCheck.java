package org.creditlab.data;

import java.nio.file.Path;

/**
 * The result of checking one file of a dataset on disk, for `credit data verify`.
 *
 * @param actualSize   -1 when missing
 * @param actualSha256 null when missing
 */
public record FileCheck(String file, Path path, Status status, long expectedSize, long actualSize,
                        String expectedSha256, String actualSha256) {

    public enum Status {
        /** Identical to the official file. */
        OK,
        /** Not byte-identical, but its decompressed content has the reference digest (e.g. Debian's re-gzipped copy). */
        OK_REPACKED,
        /** Stored uncompressed and no reference digest of the uncompressed file is known: format-checked at load only. */
        UNVERIFIED,
        MISSING,
        /** Present but differs from the official file (wrong size or digest): corrupt, truncated or another file. */
        MISMATCH
    }

    public boolean ok() {
        return status != Status.MISSING && status != Status.MISMATCH;
    }

    /** One line a CLI can print. */
    public String describe() {
        return switch (status) {
            case OK -> "ok         " + file + " (" + actualSize + " bytes, sha256 " + actualSha256 + ")";
            case OK_REPACKED -> "ok         " + file + " (repacked copy: decompressed content matches the official data)";
            case UNVERIFIED -> "unverified " + file + " at " + path + " (uncompressed; no reference digest known, sha256 "
                    + actualSha256 + ")";
            case MISSING -> "missing    " + file + " (expected " + expectedSize + " bytes at " + path + ")";
            case MISMATCH -> "MISMATCH   " + file + ": " + actualSize + " bytes, sha256 " + actualSha256
                    + "; expected " + expectedSize + " bytes, sha256 " + expectedSha256;
        };
    }
}
