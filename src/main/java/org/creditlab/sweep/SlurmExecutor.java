package org.creditlab.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.creditlab.UserError;
import org.creditlab.experiment.AtomicFiles;

/**
 * {@code --executor slurm}: one array job with a task per cell to run. The script (slurm/submit-N.sbatch, kept
 * for the record) maps task IDs to cell indices, asks for the partition, time, cpus and memory given, limits
 * the array to K tasks at a time ({@code %K}), logs each task to logs/slurm-JOB_TASK.log and {@code exec}s
 * {@code credit sweep run-cell DIR INDEX}, so that Slurm's SIGTERM (time limit, preemption, scancel) reaches
 * the JVM, which checkpoints; {@code --requeue} lets a preempted task come back and resume.
 */
public final class SlurmExecutor {
    private final SweepDirectory sweep;
    private final SlurmSettings settings;
    private final PrintStream out;

    public SlurmExecutor(SweepDirectory sweep, SlurmSettings settings, PrintStream out) {
        this.sweep = sweep;
        this.settings = settings;
        this.out = out;
    }

    /** The sbatch script for these cells. */
    public String script(List<Cell> cells) {
        int cpus = settings.cpus() == null ? 1 : settings.cpus();
        Path dir = sweep.dir().toAbsolutePath().normalize();
        StringBuilder sb = new StringBuilder("#!/bin/bash\n");
        sb.append("# credit sweep ").append(sweep.manifest().name()).append(": ").append(cells.size())
                .append(" cell(s); written by 'credit sweep run --executor slurm'\n");
        sb.append("#SBATCH --job-name=credit-").append(sweep.manifest().name()).append('\n');
        sb.append("#SBATCH --array=").append(ranges(cells)).append(settings.maxRunning() == null ? "" : "%" + settings.maxRunning()).append('\n');
        sb.append("#SBATCH --cpus-per-task=").append(cpus).append('\n');
        if (settings.partition() != null) sb.append("#SBATCH --partition=").append(settings.partition()).append('\n');
        if (settings.time() != null) sb.append("#SBATCH --time=").append(settings.time()).append('\n');
        if (settings.mem() != null) sb.append("#SBATCH --mem=").append(settings.mem()).append('\n');
        sb.append("#SBATCH --output=").append(dir.resolve("logs")).append("/slurm-%A_%a.log\n");
        sb.append("#SBATCH --open-mode=append\n");
        sb.append("#SBATCH --requeue\n");
        // before the time limit: SIGTERM to the JVM (the batch shell it replaces), which checkpoints and exits
        sb.append("#SBATCH --signal=B:TERM@120\n");
        sb.append("#SBATCH --chdir=").append(Path.of("").toAbsolutePath()).append('\n');
        sb.append("export OMP_NUM_THREADS=").append(cpus).append('\n');
        List<String> cmd = new ArrayList<>(Launcher.command());
        cmd.set(0, "${CREDIT_JAVA:-" + cmd.get(0) + "}");
        String prefix = "\"" + cmd.get(0) + "\" " + Launcher.shellLine(cmd.subList(1, cmd.size()));
        sb.append("exec ").append(prefix).append(" sweep run-cell ").append(Launcher.quote(dir.toString()))
                .append(" \"$SLURM_ARRAY_TASK_ID\" --threads ").append(cpus).append('\n');
        return sb.toString();
    }

    /** Task IDs are the cells' manifest indices: "0-3,7,9-10". */
    static String ranges(List<Cell> cells) {
        List<Integer> ix = cells.stream().map(Cell::index).sorted().toList();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < ix.size(); ) {
            int j = i;
            while (j + 1 < ix.size() && ix.get(j + 1) == ix.get(j) + 1) j++;
            parts.add(i == j ? ix.get(i).toString() : ix.get(i) + "-" + ix.get(j));
            i = j + 1;
        }
        return String.join(",", parts);
    }

    /** Writes the script, submits it and returns the job ID; refuses while an earlier job of this sweep is queued. */
    public String submit(List<Cell> cells) throws IOException, InterruptedException {
        String live = liveJob();
        if (live != null) {
            throw new UserError("Slurm job " + live + " of sweep " + sweep.dir() + " is still queued or running; wait for it"
                    + " ('credit sweep status " + sweep.dir() + "') or scancel it, then run the sweep again");
        }
        Path slurmDir = sweep.dir().resolve("slurm");
        Files.createDirectories(sweep.dir().resolve("logs"));
        int n = 1;
        while (Files.exists(slurmDir.resolve("submit-" + n + ".sbatch"))) n++;
        Path script = slurmDir.resolve("submit-" + n + ".sbatch");
        AtomicFiles.writeString(script, script(cells));
        Proc r = exec(List.of("sbatch", "--parsable", script.toString()));
        if (r.code != 0) throw new UserError("sbatch failed (exit " + r.code + "): " + r.output.strip().replace('\n', ' '));
        String job = r.output.strip().split(";")[0].strip();
        if (!job.matches("\\d+")) throw new UserError("sbatch answered '" + r.output.strip() + "', not a job ID");
        Files.writeString(slurmDir.resolve("jobs"), job + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        out.println("submitted Slurm job " + job + ": " + cells.size() + " cell(s) (" + script + ")");
        return job;
    }

    /** Follows the job until Slurm no longer lists it, printing a progress line whenever the counts change. */
    public void await(String job, double pollSeconds) throws IOException, InterruptedException {
        String last = "";
        while (true) {
            boolean queued = queued(job);
            String line = SweepStatus.counts(SweepStatus.states(sweep));
            if (!line.equals(last)) {
                out.println("job " + job + ": " + line);
                out.flush();
                last = line;
            }
            if (!queued) return;
            Thread.sleep((long) (pollSeconds * 1000));
        }
    }

    /** The last job of this sweep that squeue still lists, or null. */
    String liveJob() throws IOException, InterruptedException {
        Path jobs = sweep.dir().resolve("slurm").resolve("jobs");
        if (!Files.exists(jobs)) return null;
        List<String> ids = Files.readAllLines(jobs).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String id : ids) if (queued(id)) return id;
        return null;
    }

    static boolean queued(String job) throws IOException, InterruptedException {
        Proc r = exec(List.of("squeue", "-h", "-j", job, "-o", "%i"));
        if (r.code != 0) {
            // squeue fails for a job ID the controller has forgotten: it is no longer queued
            if (r.output.toLowerCase(Locale.ROOT).contains("invalid job id")) return false;
            throw new UserError("squeue failed (exit " + r.code + "): " + r.output.strip().replace('\n', ' '));
        }
        return !r.output.isBlank();
    }

    record Proc(int code, String output) { }

    static Proc exec(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UserError(cmd.get(0) + " not found: the slurm executor needs Slurm's commands on the PATH ("
                    + e.getMessage().replaceFirst("^Cannot run program \"[^\"]*\": ", "") + ")");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Proc(p.waitFor(), output);
    }
}
