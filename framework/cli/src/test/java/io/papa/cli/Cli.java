package io.papa.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real command line in-process with the plugin jars the reactor built into plugins/. */
final class Cli {

    /** The repository's plugins/ directory, where the reactor copies every built-in plugin jar. */
    static final Path PLUGINS = Path.of("../../plugins").toAbsolutePath().normalize();

    record Result(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    static synchronized Result run(String... args) {
        if (!Files.isDirectory(PLUGINS)) {
            throw new IllegalStateException("no plugin directory at " + PLUGINS + "; run the reactor build");
        }
        List<String> all = new ArrayList<>(List.of(args));
        if (args.length > 0 && !args[0].startsWith("-")) {
            all.add(1, "--plugins-dir=" + PLUGINS);
        }
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(all.toArray(String[]::new));
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
