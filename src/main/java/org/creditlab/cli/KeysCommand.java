package org.creditlab.cli;

import org.creditlab.experiment.ConfigKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code credit keys [--markdown]}: the config keys from their declarations. {@code --markdown} prints the
 * README's key table (ReadmeKeyTableTest fails when README.md differs from it).
 */
@Command(name = "keys", hidden = true, mixinStandardHelpOptions = true,
        description = "List the config keys (as 'credit train --help' does); --markdown prints the README's table.")
public final class KeysCommand implements Runnable {
    @Option(names = "--markdown", description = "a Markdown table (the README's)")
    boolean markdown;

    @Spec CommandSpec spec;

    @Override public void run() {
        spec.commandLine().getOut().print(markdown ? ConfigKeys.markdownTable() : ConfigKeys.helpText());
        spec.commandLine().getOut().flush();
    }
}
