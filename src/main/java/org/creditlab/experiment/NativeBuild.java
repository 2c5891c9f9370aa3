package org.creditlab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chooses which of the shipped libnd4j builds JavaCPP loads, before ND4J starts: the oneDNN build compiled for
 * AVX2 on CPUs that have AVX2, the portable oneDNN build otherwise (both run convolutions and pooling through
 * oneDNN, which picks its kernels by instruction set at run time). Loading the AVX2 build on a CPU without AVX2
 * would die with SIGILL at the first vectorised op, so the choice is made from the CPU's own flags. A user's
 * explicit {@code -Dorg.bytedeco.javacpp.platform.extension=...} wins. Library users who want the same choice
 * call {@link #select()} before their first ND4J call.
 */
public final class NativeBuild {
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String AVX2 = "-onednn-avx2";
    static final String PORTABLE = "-onednn";

    private NativeBuild() { }

    /** Sets the JavaCPP extension unless the user set one; returns the extension in force. */
    public static String select() {
        String given = System.getProperty(PROPERTY);
        if (given != null) return given;
        String chosen = choose(cpuFlags());
        System.setProperty(PROPERTY, chosen);
        return chosen;
    }

    /** The build for a CPU with these flags (the "flags" line of /proc/cpuinfo; empty when unknown). */
    static String choose(String flags) {
        for (String f : flags.split("\\s+")) if (f.equals("avx2")) return AVX2;
        return PORTABLE;
    }

    private static String cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) return line.substring(line.indexOf(':') + 1);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: the portable build runs everywhere
        }
        return "";
    }
}
