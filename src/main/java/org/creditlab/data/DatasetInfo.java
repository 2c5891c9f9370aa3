package org.creditlab.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Static facts about a dataset.
 *
 * @param name         registry name: "mnist", "fmnist", "kmnist", "cifar10"
 * @param description  one line for listings
 * @param exampleShape {C, H, W}
 * @param classes      number of classes
 * @param format       file layout
 * @param files        the official files with size and digest
 * @param mirrors      base URLs tried in turn; a file's URL is mirror + file name
 * @param systemDirs   folders where an OS package installs the files (searched after ./data)
 */
public record DatasetInfo(String name, String description, long[] exampleShape, int classes,
                          DatasetFormat format, List<DataFile> files, List<URI> mirrors, List<Path> systemDirs) {
    public DatasetInfo {
        exampleShape = exampleShape.clone();
        files = List.copyOf(files);
        mirrors = List.copyOf(mirrors);
        systemDirs = List.copyOf(systemDirs);
    }

    /** The same dataset served from other base URLs (tests, private mirrors). A missing trailing '/' is added. */
    public DatasetInfo withMirrors(List<URI> newMirrors) {
        List<URI> fixed = newMirrors.stream()
                .map(u -> u.toString().endsWith("/") ? u : URI.create(u + "/"))
                .toList();
        return new DatasetInfo(name, description, exampleShape, classes, format, files, fixed, systemDirs);
    }

    /** The same dataset with other system folders (tests). */
    DatasetInfo withSystemDirs(List<Path> dirs) {
        return new DatasetInfo(name, description, exampleShape, classes, format, files, mirrors, dirs);
    }

    public DataFile file(String fileName) {
        for (DataFile f : files) {
            if (f.name().equals(fileName)) return f;
        }
        throw new IllegalArgumentException(name + " has no file " + fileName);
    }

    public URI url(URI mirror, DataFile file) {
        return mirror.resolve(file.name());
    }

    /** Total bytes of the official files. */
    public long totalSize() {
        return files.stream().mapToLong(DataFile::size).sum();
    }
}
