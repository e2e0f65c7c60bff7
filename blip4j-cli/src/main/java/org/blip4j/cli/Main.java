package org.blip4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code blip} command line: thin commands over the blip4j-core API. */
@Command(name = "blip", mixinStandardHelpOptions = true, version = "blip4j 0.1.0",
        description = "BLIP (Bootstrapping Language-Image Pre-training) on the JVM.",
        subcommands = {CommandLine.HelpCommand.class, BenchCommand.class})
public final class Main {

    public static void main(String[] args) {
        Logging.configure(args);
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
