package io.papa.engine.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.papa.engine.eval.FinalResults;
import io.papa.engine.merge.MergeRecord;
import io.papa.engine.population.EpochRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes a run's results: {@code results.json} (every number, configuration and provenance),
 * {@code summary.txt} (for people), one line appended to {@code results.txt} (the reference's
 * results file: arguments then the summary line) and, when accuracies were recorded per epoch,
 * {@code accuracy.png}.
 */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static void write(Path directory, RunReport report) {
        try {
            Files.createDirectories(directory);
            writeAtomically(directory.resolve("results.json"), JSON.writeValueAsBytes(report));
            writeAtomically(directory.resolve("summary.txt"), summary(report).getBytes(StandardCharsets.UTF_8));
            String line = JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.config())
                    + System.lineSeparator() + report.results().summaryLine() + System.lineSeparator();
            Files.writeString(directory.resolve("results.txt"), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (report.history().stream().anyMatch(e -> e.testAccuracy() != null)) {
                AccuracyPlot.write(directory.resolve("accuracy.png"), report.history(), report.config().mergeStrategy());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + directory, e);
        }
    }

    /** Writes to a temporary file beside {@code target}, then renames it: readers never see half a file. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(temporary, content);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static String summary(RunReport report) {
        FinalResults r = report.results();
        StringBuilder s = new StringBuilder();
        var c = report.config();
        s.append(String.format(Locale.ROOT, "papa %s (%s)  %s%n", report.provenance().papaVersion(),
                report.provenance().gitCommit(), report.provenance().createdAt()));
        s.append(String.format(Locale.ROOT, "data=%s model=%s pop=%d comb=%s every-k=%d epochs=%d bs=%d opt=%s[lr=%s, lr_min=%s, wd=%s] seed=%d%n",
                c.dataset(), c.architecture(), c.nPop(), c.mergeStrategy(), c.everyKEpochs(), c.epochs(), c.batchSize(),
                c.optimizer(), c.lr(), c.lrMin(), c.weightDecay(), c.seed()));
        s.append(String.format(Locale.ROOT, "dataset %s sha256 %s%n", report.provenance().dataset(),
                report.provenance().datasetChecksum()));
        s.append(String.format(Locale.ROOT, "training: %.1f s, %.1f images/s (all members)%n", report.trainingSeconds(),
                report.imagesPerSecond()));
        for (MergeRecord m : report.merges()) {
            s.append(String.format(Locale.ROOT, "merge after epoch %d (step %d): %s%n", m.epoch(), m.step(), m.description()));
        }
        for (EpochRecord e : report.history()) {
            if (e.testAccuracy() != null) {
                s.append(String.format(Locale.ROOT, "epoch %d test accuracy %s%s%n", e.epoch(),
                        percentages(e.testAccuracy()), e.merged() ? " (after merge)" : ""));
            }
        }
        for (FinalResults.MemberResult m : r.members()) {
            s.append(String.format(Locale.ROOT, "model-%d test_acc = %.2f%%  val_acc = %s  loss = %.4f  %s%n", m.index(),
                    100 * m.testAccuracy(), m.validationAccuracy() == null ? "n/a"
                            : String.format(Locale.ROOT, "%.2f%%", 100 * m.validationAccuracy()),
                    m.testLoss(), m.regularization()));
        }
        s.append(String.format(Locale.ROOT, "Ensemble test_acc = %.2f%%%n", 100 * r.ensemble()));
        s.append(String.format(Locale.ROOT, "AvgSoup(%d) test_acc = %.2f%%%n", r.averageSoup().members().size(),
                100 * r.averageSoup().testAccuracy()));
        if (r.greedySoup() != null) {
            s.append(String.format(Locale.ROOT, "GreedySoup(%d) members %s test_acc = %.2f%%%n",
                    r.greedySoup().members().size(), r.greedySoup().members(), 100 * r.greedySoup().testAccuracy()));
        }
        s.append(r.summaryLine()).append(System.lineSeparator());
        return s.toString();
    }

    private static String percentages(double[] values) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", 100 * values[i]));
        }
        return s.append(']').toString();
    }
}
