package org.creditlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.creditlab.UserError;
import org.creditlab.experiment.RunLock;
import org.creditlab.sweep.Cell;
import org.creditlab.sweep.CellRunner;
import org.creditlab.sweep.CellState;
import org.creditlab.sweep.Expansion;
import org.creditlab.sweep.Launcher;
import org.creditlab.sweep.LocalExecutor;
import org.creditlab.sweep.SlurmExecutor;
import org.creditlab.sweep.SlurmSettings;
import org.creditlab.sweep.SweepDirectory;
import org.creditlab.sweep.SweepFileReader;
import org.creditlab.sweep.SweepSpec;
import org.creditlab.sweep.SweepStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code credit sweep run FILE}: creates (or checks) the sweep directory and runs the cells that need it with
 * the chosen executor. Running it again is safe: finished cells are skipped, interrupted ones resumed from their
 * checkpoint, failed ones retried until max_attempts.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a sweep's pending cells (again: skips finished cells, resumes interrupted ones, retries failed ones).",
                "Exit status: 0 every cell finished (completed or diverged), 4 some cells did not (see 'credit sweep status'),"
                        + " 2 bad input, 130/143 interrupted (the running cells are checkpointed: run the same command to resume)."})
public final class SweepRunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The sweep file (JSON).")
    Path file;
    @Option(names = "--out", paramLabel = "DIR", description = "Sweep directory. Default: runs/<name>.")
    Path out;
    @Option(names = "--executor", paramLabel = "KIND", description = "local (child processes, default), slurm (an sbatch array) or print (the commands).")
    String executor = "local";
    @Option(names = "--jobs", paramLabel = "N", description = "local: cells at a time (default 1).")
    int jobs = 1;
    @Option(names = "--threads", paramLabel = "T", description = "Threads per cell (default: the base config's threads; slurm: its cpus).")
    Integer threads;
    @Option(names = "--extend", description = "Accept a sweep file that changed since the directory was made: add its new cells, retire those it dropped.")
    boolean extend;
    @Option(names = "--partition", paramLabel = "P", description = "slurm: partition (default: the sweep file's slurm.partition, else the cluster's).")
    String partition;
    @Option(names = "--time", paramLabel = "HH:MM:SS", description = "slurm: time limit per cell.")
    String time;
    @Option(names = "--cpus", paramLabel = "C", description = "slurm: cpus per cell, also its --threads (default 1).")
    Integer cpus;
    @Option(names = "--mem", paramLabel = "M", description = "slurm: memory per cell, e.g. 4G.")
    String mem;
    @Option(names = "--max-running", paramLabel = "K", description = "slurm: at most K cells at a time (the array's %%K).")
    Integer maxRunning;
    @Option(names = "--wait", description = "slurm: follow the job until it ends, with a progress line.")
    boolean await;
    @Option(names = "--poll", paramLabel = "SECONDS", description = "slurm --wait: seconds between looks at the queue (default 5).")
    double poll = 5;

    @Override public Integer call() throws Exception {
        if (!List.of("local", "slurm", "print").contains(executor)) {
            throw new UserError("--executor must be local, slurm or print, got '" + executor + "'");
        }
        if (jobs < 1) throw new UserError("--jobs must be >= 1, got " + jobs);
        if (threads != null && threads < 1) throw new UserError("--threads must be >= 1, got " + threads);
        if (cpus != null && cpus < 1) throw new UserError("--cpus must be >= 1, got " + cpus);
        if (maxRunning != null && maxRunning < 1) throw new UserError("--max-running must be >= 1, got " + maxRunning);
        if (!(poll > 0)) throw new UserError("--poll must be > 0, got " + poll);
        SweepSpec spec = SweepFileReader.read(file);
        List<Cell> cells = Expansion.expand(spec);
        Path dir = out != null ? out : Path.of("runs", spec.name());
        OutputPaths.checkDirectory(dir, "--out");
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        // one sweep command per directory at a time; the cells' own locks keep each run directory to one writer
        try (RunLock lock = RunLock.acquire(dir, created)) {
            SweepDirectory sweep = SweepDirectory.prepare(dir, spec, cells, extend);
            int max = sweep.manifest().maxAttempts();
            List<CellState> states = SweepStatus.states(sweep);
            List<Cell> todo = new ArrayList<>();
            for (CellState s : states) if (s.runnable(max)) todo.add(s.cell());
            System.out.println("sweep " + dir + ": " + SweepStatus.counts(states) + "; " + todo.size() + " to run");
            int t = threads != null ? threads : sweep.cells().isEmpty() ? 1 : baseThreads(sweep);
            switch (executor) {
                case "print" -> {
                    for (Cell c : todo) {
                        List<String> cmd = new ArrayList<>(Launcher.command());
                        cmd.addAll(CellRunner.trainArguments(sweep, c, t));
                        System.out.println(Launcher.shellLine(cmd));
                    }
                    return 0;
                }
                case "slurm" -> {
                    SlurmSettings s = spec.slurm().overriddenBy(new SlurmSettings(partition, time, cpus, mem, maxRunning));
                    if (threads != null && s.cpus() == null) s = s.overriddenBy(new SlurmSettings(null, null, threads, null, null));
                    if (todo.isEmpty()) return finish(sweep);
                    SlurmExecutor slurm = new SlurmExecutor(sweep, s, System.out);
                    String job = slurm.submit(todo);
                    if (!await) {
                        System.out.println("follow it with 'credit sweep status " + dir + "' (or squeue -j " + job + ")");
                        return 0;
                    }
                    slurm.await(job, poll);
                    return finish(sweep);
                }
                default -> {
                    new LocalExecutor(sweep, jobs, t, System.out).run(todo);
                    return finish(sweep);
                }
            }
        }
    }

    private static int finish(SweepDirectory sweep) {
        List<CellState> states = SweepStatus.states(sweep);
        System.out.println("sweep " + sweep.dir() + ": " + SweepStatus.counts(states));
        boolean all = states.stream().allMatch(CellState::finished);
        if (!all) System.out.println("not every cell finished: see 'credit sweep status " + sweep.dir() + "'; run the sweep again to resume or retry them");
        return all ? 0 : CellRunner.GAVE_UP;
    }

    private static int baseThreads(SweepDirectory sweep) {
        try {
            Cell first = sweep.cells().get(0);
            return org.creditlab.experiment.ConfigResolver.JSON.readTree(sweep.configFile(first).toFile()).path("threads").asInt(1);
        } catch (java.io.IOException e) {
            return 1;
        }
    }
}
