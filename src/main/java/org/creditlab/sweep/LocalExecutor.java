package org.creditlab.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code --executor local --jobs N}: runs N cells at a time, each as a child process ({@code credit sweep
 * run-cell}) with its own --threads and its output in logs/CELL.log. On SIGTERM or Ctrl-C the children are sent
 * SIGTERM and waited for: each writes a checkpoint and result.json (status interrupted), so the same command
 * later resumes them.
 */
public final class LocalExecutor {
    private final SweepDirectory sweep;
    private final int jobs;
    private final int threads;
    private final PrintStream out;
    private final Map<Process, Cell> running = new LinkedHashMap<>();
    private boolean stopping;

    public LocalExecutor(SweepDirectory sweep, int jobs, int threads, PrintStream out) {
        this.sweep = sweep;
        this.jobs = jobs;
        this.threads = threads;
        this.out = out;
    }

    /** Runs the cells and returns how many ended with a non-zero exit status. */
    public int run(List<Cell> cells) throws IOException, InterruptedException {
        Deque<Cell> queue = new ArrayDeque<>(cells);
        Thread hook = new Thread(this::stopChildren, "credit-sweep-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int failed = 0, done = 0;
        try {
            while (true) {
                synchronized (this) {
                    while (!stopping && running.size() < jobs && !queue.isEmpty()) start(queue.poll());
                    if (running.isEmpty()) break;
                    if (stopping) {
                        // the shutdown hook is stopping the children: let them write their checkpoints first
                        for (Process p : running.keySet()) p.waitFor(130, TimeUnit.SECONDS);
                        break;
                    }
                }
                Thread.sleep(100);
                List<Process> ended = new ArrayList<>();
                synchronized (this) {
                    for (Process p : running.keySet()) if (!p.isAlive()) ended.add(p);
                    for (Process p : ended) {
                        Cell c = running.remove(p);
                        done++;
                        if (p.exitValue() != 0) failed++;
                        CellState s = CellState.of(sweep, c);
                        out.printf(Locale.ROOT, "[%d/%d] %s: %s%s%s%n", done, cells.size(), c.name(), s.status().label(),
                                s.testAccuracy() == null ? "" : String.format(Locale.ROOT, ", test accuracy %.2f %%", s.testAccuracy()),
                                p.exitValue() == 0 ? "" : " (exit " + p.exitValue() + ", log " + sweep.logFile(c) + ")");
                        out.flush();
                    }
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the children
            }
        }
        return failed;
    }

    private void start(Cell c) throws IOException {
        List<String> cmd = new ArrayList<>(Launcher.command());
        cmd.addAll(List.of("sweep", "run-cell", sweep.dir().toString(), Integer.toString(c.index()), "--threads", Integer.toString(threads)));
        Files.createDirectories(sweep.logFile(c).getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(sweep.logFile(c).toFile()));
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        running.put(pb.start(), c);
        out.println("started " + c.name() + " (cell " + c.index() + ")");
        out.flush();
    }

    /** The shutdown hook: SIGTERM to every child, then wait until each has saved its checkpoint and exited. */
    private void stopChildren() {
        List<Process> children;
        synchronized (this) {
            stopping = true;
            children = new ArrayList<>(running.keySet());
        }
        if (children.isEmpty()) return;
        System.err.println("credit: sweep interrupted: stopping " + children.size() + " running cell(s); each saves a checkpoint");
        children.forEach(Process::destroy);
        for (Process p : children) {
            try {
                if (!p.waitFor(130, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.err.println("credit: sweep interrupted: run the same command again to resume the stopped cells");
    }
}
