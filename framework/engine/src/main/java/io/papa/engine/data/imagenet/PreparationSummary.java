package io.papa.engine.data.imagenet;

import io.papa.engine.report.ReportWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a preparation produced. Counts are of the images stored in the output, whether written by
 * this run or already present from an interrupted one; throughput is over the images this run decoded.
 *
 * @param output the output directory
 * @param trainArchive the training archive
 * @param valArchive the validation archive
 * @param labels where the validation labels came from
 * @param resize how images were sized ({@link Resize#toString()} form)
 * @param quality JPEG quality (1 to 100) of re-encoded images
 * @param threads conversion threads
 * @param classes per class, in the training archive's order
 * @param written images written by this run
 * @param alreadyPresent images found complete in the output and kept
 * @param unreadable images that could not be decoded, skipped, sorted by output path
 * @param indexSeconds time to read the archive headers and plan the work
 * @param convertSeconds time to decode, resize and write
 * @param imagesPerSecond images decoded per second of conversion (written plus unreadable)
 */
public record PreparationSummary(
        String output,
        String trainArchive,
        String valArchive,
        String labels,
        String resize,
        int quality,
        int threads,
        List<ClassCount> classes,
        int written,
        int alreadyPresent,
        List<Unreadable> unreadable,
        double indexSeconds,
        double convertSeconds,
        double imagesPerSecond) {

    public static final String TEXT_FILE = "prepare-summary.txt";
    public static final String JSON_FILE = "prepare-summary.json";
    public static final String UNREADABLE_FILE = "prepare-unreadable.txt";

    /** Images of one class stored in {@code train/<wnid>} and {@code val/<wnid>}. */
    public record ClassCount(String wnid, int train, int val) {
    }

    /**
     * An image left out because it cannot be decoded.
     *
     * @param image where it would have been stored, relative to the output ({@code train/<wnid>/<file>})
     * @param source where it came from (the per-class tar and the archive)
     * @param reason the decoder's complaint
     */
    public record Unreadable(String image, String source, String reason) {
    }

    public PreparationSummary {
        classes = List.copyOf(classes);
        unreadable = List.copyOf(unreadable);
    }

    public int trainImages() {
        return classes.stream().mapToInt(ClassCount::train).sum();
    }

    public int valImages() {
        return classes.stream().mapToInt(ClassCount::val).sum();
    }

    /** Writes {@value #TEXT_FILE}, {@value #JSON_FILE} and the report {@value #UNREADABLE_FILE} into the output. */
    void write(Path directory) throws IOException {
        ReportWriter.writeAtomically(directory.resolve(TEXT_FILE), text().getBytes(StandardCharsets.UTF_8));
        ReportWriter.writeAtomically(directory.resolve(JSON_FILE), ReportWriter.json().writeValueAsBytes(json()));
        StringBuilder report = new StringBuilder();
        report.append("# ").append(unreadable.size())
                .append(" image(s) could not be decoded and were skipped: output path, source, reason\n");
        for (Unreadable u : unreadable) {
            report.append(u.image()).append('\t').append(u.source()).append('\t').append(u.reason()).append('\n');
        }
        ReportWriter.writeAtomically(directory.resolve(UNREADABLE_FILE), report.toString().getBytes(StandardCharsets.UTF_8));
    }

    public String text() {
        StringBuilder s = new StringBuilder();
        s.append("ImageNet preparation into ").append(output).append('\n');
        s.append("  train: ").append(trainArchive).append('\n');
        s.append("  val:   ").append(valArchive).append(", labels from ").append(labels).append('\n');
        s.append(String.format(Locale.ROOT, "  resize %s, JPEG quality %d, %d thread(s)%n", describe(resize), quality,
                threads));
        s.append(String.format(Locale.ROOT, "images: train %d, val %d in %d classes (%d written by this run, %d already"
                + " present); unreadable %d%n", trainImages(), valImages(), classes.size(), written, alreadyPresent,
                unreadable.size()));
        s.append(String.format(Locale.ROOT, "time: index %.1f s, conversion %.1f s, %.1f images/s%n", indexSeconds,
                convertSeconds, imagesPerSecond));
        if (!unreadable.isEmpty()) {
            s.append("unreadable images, skipped (also in ").append(UNREADABLE_FILE).append("):\n");
            for (Unreadable u : unreadable) {
                s.append("  ").append(u.image()).append(" (").append(u.source()).append("): ").append(u.reason())
                        .append('\n');
            }
        }
        s.append(String.format(Locale.ROOT, "%-12s %7s %7s%n", "class", "train", "val"));
        for (ClassCount c : classes) {
            s.append(String.format(Locale.ROOT, "%-12s %7d %7d%n", c.wnid(), c.train(), c.val()));
        }
        return s.toString();
    }

    private static String describe(String resize) {
        Resize parsed = Resize.parse(resize);
        return switch (parsed.mode()) {
            case NONE -> "none (images stored as they are)";
            case SHORTER_SIDE -> "shorter side to " + parsed.size();
            case SQUARE -> "to " + resize + " (aspect not kept)";
        };
    }

    private Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("output", output);
        json.put("trainArchive", trainArchive);
        json.put("valArchive", valArchive);
        json.put("labels", labels);
        json.put("resize", resize);
        json.put("quality", quality);
        json.put("threads", threads);
        json.put("trainImages", trainImages());
        json.put("valImages", valImages());
        json.put("written", written);
        json.put("alreadyPresent", alreadyPresent);
        json.put("unreadableCount", unreadable.size());
        json.put("unreadable", unreadable);
        json.put("indexSeconds", indexSeconds);
        json.put("convertSeconds", convertSeconds);
        json.put("imagesPerSecond", imagesPerSecond);
        Map<String, Map<String, Integer>> perClass = new LinkedHashMap<>();
        for (ClassCount c : classes) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            counts.put("train", c.train());
            counts.put("val", c.val());
            perClass.put(c.wnid(), counts);
        }
        json.put("classes", perClass);
        return json;
    }
}
