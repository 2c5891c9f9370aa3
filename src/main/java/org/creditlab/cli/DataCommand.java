package org.creditlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.creditlab.UserError;
import org.creditlab.data.DatasetFetcher;
import org.creditlab.data.DatasetInfo;
import org.creditlab.data.Datasets;
import org.creditlab.data.FileCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code credit data fetch|verify NAME}: download a dataset into the cache, or check the files there. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Download or verify dataset files.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Verify.class})
public final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "expected a subcommand: fetch or verify");
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download NAME's files from its public mirrors into DIR/NAME, verifying SHA-256.")
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "mnist, fmnist, kmnist or cifar10") String name;
        @Option(names = "--dir", paramLabel = "DIR", description = "Cache directory. Default: data.") Path dir = Path.of("data");

        @Override public Integer call() {
            DatasetInfo info = Datasets.info(name);
            Path target = DatasetFetcher.fetch(info, dir, System.out::println);
            System.out.println(name + ": all files present and verified in " + target);
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check that NAME's files are present and match the official SHA-256.")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "mnist, fmnist, kmnist or cifar10") String name;
        @Option(names = "--dir", paramLabel = "DIR",
                description = "Where the files are (DIR or DIR/NAME). Default: where 'credit train' would find them.")
        Path dir;

        @Override public Integer call() {
            DatasetInfo info = Datasets.info(name);
            if (dir == null) dir = DatasetFetcher.locate(info, null).orElse(Path.of("data"));
            Path folder = DatasetFetcher.folderFor(info, dir);
            List<FileCheck> checks = DatasetFetcher.verify(info, dir);
            checks.forEach(c -> System.out.println(c.describe()));
            long bad = checks.stream().filter(c -> !c.ok()).count();
            if (bad > 0) {
                throw new UserError(bad + " of " + checks.size() + " " + name + " files missing or corrupt in " + folder
                        + (Files.isDirectory(folder) ? "" : " (no such folder; 'credit data fetch " + name + " --dir " + dir + "' puts them there)"));
            }
            System.out.println(name + ": " + checks.size() + " files verified");
            return 0;
        }
    }
}
