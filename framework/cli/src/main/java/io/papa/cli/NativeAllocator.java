package io.papa.cli;

import java.util.Locale;
import java.util.Map;

/**
 * glibc malloc settings under which libtorch reuses freed tensor memory. By default glibc serves
 * every allocation above 128 KiB with a fresh {@code mmap} when it comes from a thread other than
 * the process's first, as all JVM threads are, so each step's activations and gradients page-fault
 * in anew: measured on ResNet-20 (2 threads) as a backward pass 30% slower and one million minor
 * faults in 25 steps. Python's main thread escapes this through glibc's adaptive threshold. A fixed
 * threshold of 256 MiB keeps tensors in the heap; a trim threshold of 1 GiB stops glibc from handing
 * the memory back between steps. The {@code papa} launcher exports these; {@code papa bench} passes
 * them to the JVMs and the Python reference it starts. They must be set before the process starts.
 */
final class NativeAllocator {

    static final Map<String, String> SETTINGS = Map.of(
            "MALLOC_MMAP_THRESHOLD_", "268435456",
            "MALLOC_TRIM_THRESHOLD_", "1073741824");

    private NativeAllocator() {
    }

    /** Gives a child process the settings it does not already have. */
    static void applyTo(ProcessBuilder process) {
        SETTINGS.forEach(process.environment()::putIfAbsent);
    }

    /** A one-line note when this Linux process runs without the settings, else {@code null}. */
    static String hint(Map<String, String> environment, String os) {
        if (!os.toLowerCase(Locale.ROOT).contains("linux") || environment.keySet().containsAll(SETTINGS.keySet())) {
            return null;
        }
        return "papa: note: native allocator not tuned, so training steps run up to ~15% slower; start through"
                + " the ./papa launcher or export " + SETTINGS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + " " + b).orElseThrow();
    }
}
