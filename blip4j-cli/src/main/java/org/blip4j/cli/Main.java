package org.blip4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code blip} command line: thin commands over the blip4j-core API. */
@Command(name = "blip", mixinStandardHelpOptions = true, version = "blip4j 0.1.0",
        description = "BLIP (Bootstrapping Language-Image Pre-training) on the JVM.",
        subcommands = {CommandLine.HelpCommand.class, InfoCommand.class, ItmCommand.class, EmbedCommand.class,
            ConvertCommand.class, CaptionCommand.class, VqaCommand.class, EvalCommand.class, SynthCommand.class,
            PretrainCommand.class, PretrainVisionCommand.class, FinetuneCommand.class, CapfiltCommand.class,
            ShardsCommand.class, ClusterCommand.class,
            DemoCommand.class, BootstrapCommand.class, AblateCommand.class, NlvrCommand.class,
            BenchCommand.class, ServeCommand.class, IndexCommand.class, SearchCommand.class})
public final class Main {

    public static void main(String[] args) {
        Logging.configure(args);
        System.exit(commandLine(args).execute(args));
    }

    /** Runs a command in this JVM and returns its exit code (spark-submit drivers, other modules' tests). */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The configured command line (also used by tests, in-process). */
    static CommandLine commandLine(String[] args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose") || java.util.Arrays.asList(args).contains("-v");
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // one clear line naming what failed; the stack trace only with --verbose
                    cmd.getErr().println("error: " + message(e));
                    if (verbose) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 2;
                });
    }

    static String message(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getMessage() == null ? e.toString() : e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(" (").append(c.getMessage()).append(')');
            }
        }
        return sb.toString();
    }
}
