package org.creditlab.sweep;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start {@code credit} again in another process (a local child, a Slurm task): this JVM's java, its
 * class path made absolute (the shaded jar, or Maven's test class path), and the {@code credit.*} system
 * properties this process was given (e.g. {@code credit.home}, where the bundled MNIST sample is found).
 */
public final class Launcher {
    private Launcher() { }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!p.isEmpty()) parts.add(Path.of(p).toAbsolutePath().normalize().toString());
        }
        return String.join(File.pathSeparator, parts);
    }

    /** {@code java [-Dcredit.*] -cp CP org.creditlab.cli.CreditMain}: the prefix of a credit command. */
    public static List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Djava.awt.headless=true"));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("credit.")).sorted()
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        String cp = classPath();
        if (!cp.contains(File.pathSeparator) && cp.endsWith(".jar")) {
            cmd.addAll(List.of("-jar", cp));
        } else {
            cmd.addAll(List.of("-cp", cp, "org.creditlab.cli.CreditMain"));
        }
        return cmd;
    }

    /** A word for a POSIX shell: quoted when it holds anything but safe characters. */
    public static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:=+,%@-]+")) return s;
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    public static String shellLine(List<String> words) {
        return String.join(" ", words.stream().map(Launcher::quote).toList());
    }
}
