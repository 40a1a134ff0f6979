package io.papa.engine.eval;

/**
 * Accuracy and mean cross-entropy of each evaluated network on one image set, and of their logit
 * ensemble (mean of raw logits, as the reference).
 */
public record Scores(double[] accuracy, double[] loss, double ensembleAccuracy, int images) {

    public double mean() {
        double sum = 0;
        for (double a : accuracy) {
            sum += a;
        }
        return sum / accuracy.length;
    }

    public double min() {
        double min = Double.POSITIVE_INFINITY;
        for (double a : accuracy) {
            min = Math.min(min, a);
        }
        return min;
    }

    public double max() {
        double max = Double.NEGATIVE_INFINITY;
        for (double a : accuracy) {
            max = Math.max(max, a);
        }
        return max;
    }
}
