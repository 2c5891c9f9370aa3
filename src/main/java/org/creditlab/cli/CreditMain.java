package org.creditlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.creditlab.UserError;
import org.creditlab.experiment.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code java -jar credit.jar <command>}. */
@Command(name = "credit", mixinStandardHelpOptions = true, versionProvider = CreditMain.Version.class,
        description = "Train and compare credit-assignment learning rules (backprop and its biologically plausible alternatives).",
        subcommands = {TrainCommand.class, RulesCommand.class, NetworksCommand.class, DatasetsCommand.class, DataCommand.class,
                BenchCommand.class, ReportCommand.class, SweepCommand.class, KeysCommand.class, CommandLine.HelpCommand.class})
public final class CreditMain implements Runnable {
    /**
     * Exit status for a user error (bad flag, unknown rule, missing or corrupt data) and for a file-system problem
     * (unwritable or read-only output path, full disk): one line on stderr, no stack trace.
     */
    public static final int USAGE = 2;
    /** Exit status for a run that diverged (NaN or infinite loss). */
    public static final int DIVERGED = 3;
    /** Exit status for a bug (stack trace in a log file). */
    public static final int BUG = 1;
    /**
     * Exit status of a run stopped by SIGINT (Ctrl-C): 128 + 2, as for any process ended by the signal. The run
     * first writes a checkpoint and result.json with status "interrupted" (see {@link StopOnSignal}).
     */
    public static final int INTERRUPTED_SIGINT = 130;
    /** Exit status of a run stopped by SIGTERM (Slurm's time limit, kill): 128 + 15; files as for SIGINT. */
    public static final int INTERRUPTED_SIGTERM = 143;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        org.creditlab.experiment.NativeBuild.select();
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit status (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CreditMain());
        TrainCommand.declareKeyFlags(cli.getSubcommands().get("train"));
        // Scripts append flags (EXTRA="--epochs 2" ...): a repeated flag takes its last value.
        cli.setOverwrittenOptionsAllowed(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("credit: error: " + ex.getMessage()
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, commandLine));
        return cli;
    }

    static int handle(Exception ex, CommandLine commandLine) {
        Throwable cause = ex;
        while (!(cause instanceof UserError) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof UserError ue) {
            commandLine.getErr().println("credit: error: " + ue.getMessage());
            return USAGE;
        }
        String io = fileSystemProblem(ex);
        if (io != null) {
            commandLine.getErr().println("credit: error: " + io);
            return USAGE;
        }
        Path log = writeCrashLog(ex);
        commandLine.getErr().println("credit: internal error: " + ex + (log == null ? "" : " (stack trace in " + log + ")"));
        return BUG;
    }

    /**
     * One line for an I/O failure anywhere in the cause chain (a full disk, a read-only file system, a path that
     * is a file), e.g. "cannot write runs/x/metrics.jsonl: No space left on device"; null if there is none.
     */
    static String fileSystemProblem(Throwable ex) {
        String context = null;
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UncheckedIOException u && u.getMessage() != null && context == null) {
                context = u.getMessage().replaceFirst(":?\\s*[A-Za-z.]*IOException:.*$", "");
            }
            if (t instanceof IOException io) {
                String reason = reason(io);
                return context == null ? "file-system error: " + reason : context + ": " + reason;
            }
        }
        return null;
    }

    private static String reason(IOException io) {
        if (io instanceof FileSystemException f) {
            String r = f.getReason();
            if (r == null) {
                r = f instanceof AccessDeniedException ? "permission denied"
                        : f instanceof NoSuchFileException ? "no such file or directory"
                        : f instanceof NotDirectoryException ? "not a directory"
                        : f instanceof FileAlreadyExistsException ? "already exists"
                        : f.getClass().getSimpleName();
            }
            return r + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
        }
        return io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
    }

    private static Path writeCrashLog(Throwable ex) {
        StringWriter sw = new StringWriter();
        ex.printStackTrace(new PrintWriter(sw));
        try {
            Path log = Files.createTempFile("credit-error-", ".log");
            Files.writeString(log, sw.toString());
            return log;
        } catch (IOException e) {
            System.err.println(sw);
            return null;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"credit " + Provenance.buildVersion()};
        }
    }
}
