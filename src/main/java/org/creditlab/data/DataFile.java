package org.creditlab.data;

/**
 * One file of a dataset as its mirrors serve it.
 *
 * @param name          file name on the mirror and on disk, e.g. "train-images-idx3-ubyte.gz"
 * @param size          bytes of the official file
 * @param sha256        SHA-256 (hex) of the official file
 * @param payloadSha256 SHA-256 of its decompressed content when known, else null. It lets a repacked
 *                      copy (same data, different gzip header, or stored uncompressed) be verified too.
 */
public record DataFile(String name, long size, String sha256, String payloadSha256) {
    /** The name without ".gz": IDX files may also be stored uncompressed under this name. */
    public String rawName() {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }
}
