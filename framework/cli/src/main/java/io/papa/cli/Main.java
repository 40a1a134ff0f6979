package io.papa.cli;

import io.papa.engine.report.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code papa}: population training and merging from the command line. */
@Command(name = "papa", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train a population of networks and merge them by PopulAtion Parameter Averaging (PAPA).",
        subcommands = {PluginsCommand.class, TrainCommand.class, RunCommand.class, ExportCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        if (args.length > 0 && java.util.Set.of("train", "run", "bench").contains(args[0])) {
            String hint = NativeAllocator.hint(System.getenv(), System.getProperty("os.name"));
            if (hint != null) {
                System.err.println(hint);
            }
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this directly). */
    public static int execute(String... args) {
        CommandLine line = new CommandLine(new Main());
        line.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            // bad input and diverged training end with one clear line, not a stack trace
            commandLine.getErr().println("papa: " + message(error));
            if (Boolean.getBoolean("papa.debug")) {
                error.printStackTrace(commandLine.getErr());
            }
            return 2;
        });
        return line.execute(args);
    }

    static String message(Throwable error) {
        Throwable t = error;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory: " + t.getMessage() + "; lower --batch-size or --n-pop, or raise -Xmx (PAPA_HEAP)";
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"papa " + Provenance.version() + " (" + Provenance.commit() + ")"};
        }
    }
}
