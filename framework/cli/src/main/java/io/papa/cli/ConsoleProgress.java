package io.papa.cli;

import io.papa.engine.merge.MergeRecord;
import io.papa.engine.population.EpochRecord;
import io.papa.engine.population.Population;
import io.papa.engine.population.TrainingListener;
import java.io.PrintStream;
import java.text.DecimalFormat;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar over the images of a training run or stage (rate in images/s and ETA), one line per
 * epoch; a workflow's training stages each show their own.
 */
final class ConsoleProgress implements TrainingListener {

    private final PrintStream out;
    private ProgressBar bar;
    private Population population;
    private int totalEpochs;

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onStart(Population population, int fromEpoch, int toEpoch) {
        this.population = population;
        this.totalEpochs = population.config().epochs();
        long perStep = (long) population.config().batchSize() * population.size();
        long total = (long) (toEpoch - fromEpoch) * population.stepsPerEpoch() * perStep;
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
                .setUnit(" img", 1).setStyle(ProgressBarStyle.ASCII).showSpeed(new DecimalFormat("#"));
        if (System.console() != null) {
            builder.setUpdateIntervalMillis(500).continuousUpdate()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err));
        } else {
            // redirected to a file or CI log: a plain line every 15 s instead of carriage-return redraws
            builder.setUpdateIntervalMillis(15_000).setConsumer(new DelegatingProgressBarConsumer(System.err::println));
        }
        bar = builder.build();
    }

    @Override
    public void onStep(int epoch, int stepInEpoch, float[] losses) {
        bar.stepBy((long) population.config().batchSize() * losses.length);
        if (stepInEpoch % 10 == 0) {
            double mean = 0;
            for (float l : losses) {
                mean += l;
            }
            bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d/%d loss %.3f", epoch + 1, totalEpochs,
                    mean / losses.length));
        }
    }

    @Override
    public void onMerge(MergeRecord merge) {
        // a workflow merges between its training stages, when no bar is shown, and logs the merge itself
        if (bar != null) {
            bar.setExtraMessage("merged: " + merge.description());
        }
    }

    @Override
    public void onEpochEnd(EpochRecord record) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  %.1fs  %.0f img/s  loss",
                record.epoch() + 1, totalEpochs, record.seconds(), record.imagesPerSecond()));
        for (double l : record.trainLoss()) {
            line.append(String.format(Locale.ROOT, " %.3f", l));
        }
        if (record.testAccuracy() != null) {
            line.append("  test acc");
            for (double a : record.testAccuracy()) {
                line.append(String.format(Locale.ROOT, " %.2f%%", 100 * a));
            }
        }
        if (record.merged()) {
            line.append("  [merged]");
        }
        out.println(line);
    }

    @Override
    public void onFinish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
