package io.papa.engine.report;

import io.papa.engine.population.EpochRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Test accuracy of every member per epoch, with the merges marked, as a PNG. */
public final class AccuracyPlot {

    private AccuracyPlot() {
    }

    public static void write(Path file, List<EpochRecord> history, String strategy) throws IOException {
        List<EpochRecord> evaluated = history.stream().filter(e -> e.testAccuracy() != null).toList();
        int members = evaluated.get(0).testAccuracy().length;
        XYChart chart = new XYChartBuilder().width(900).height(550)
                .title("Test accuracy per member (" + strategy + ")").xAxisTitle("epoch").yAxisTitle("accuracy (%)")
                .build();
        for (int k = 0; k < members; k++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (EpochRecord e : evaluated) {
                x.add(e.epoch() + 1.0);
                y.add(100 * e.testAccuracy()[k]);
            }
            chart.addSeries("model " + k, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        List<Double> mergeX = new ArrayList<>();
        List<Double> mergeY = new ArrayList<>();
        for (EpochRecord e : evaluated) {
            if (e.merged()) {
                double mean = 0;
                for (double a : e.testAccuracy()) {
                    mean += a;
                }
                mergeX.add(e.epoch() + 1.0);
                mergeY.add(100 * mean / members);
            }
        }
        if (!mergeX.isEmpty()) {
            XYSeries merges = chart.addSeries("merge", mergeX, mergeY);
            merges.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            merges.setMarker(SeriesMarkers.DIAMOND);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
