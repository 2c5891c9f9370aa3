package org.creditlab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code credit} as a real child process (a JVM on the test classpath running {@link CreditMain}), for what
 * only another process shows: file locks between processes, signals, kill -9.
 */
final class ChildCredit {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    record Exit(int code, String stdout, String stderr) { }

    private ChildCredit(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code credit ARGS} in {@code workDir}; output goes to files named after {@code name} there.
     *
     * @param jvmFlags extra JVM flags, e.g. {@code -Dcredit.test.writeDelayMillis=20}
     */
    static ChildCredit start(Path workDir, String name, List<String> jvmFlags, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-XX:+UseSerialGC", "-Xmx1g"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CreditMain.class.getName()));
        cmd.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path out = workDir.resolve(name + ".stdout");
        Path err = workDir.resolve(name + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return new ChildCredit(pb.start(), out, err);
    }

    static ChildCredit start(Path workDir, String name, String... args) throws IOException {
        return start(workDir, name, List.of(), args);
    }

    long pid() { return process.pid(); }

    boolean isAlive() { return process.isAlive(); }

    Process process() { return process; }

    /** Waits (at most {@code seconds}) for the exit; a child still running then is killed and the test fails. */
    Exit waitFor(long seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("child credit still running after " + seconds + " s: " + Files.readString(stderr));
        }
        return new Exit(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** Sends {@code signal} (e.g. "INT") with kill(1). */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new AssertionError("kill -" + signal + " failed");
    }

    /**
     * Whether the child ignores {@code signalNumber} (its SigIgn mask in /proc): a process started in the
     * background of a non-interactive shell ignores SIGINT, and then so does every JVM below it.
     */
    boolean ignores(int signalNumber) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (mask & (1L << (signalNumber - 1))) != 0;
            }
        }
        return false;
    }

    /** Polls (every 2 ms, at most {@code seconds}) until {@code condition} holds or the child has exited. */
    boolean awaitWhileAlive(long seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            if (!process.isAlive()) return condition.getAsBoolean();
            Thread.sleep(2);
        }
        return false;
    }
}
