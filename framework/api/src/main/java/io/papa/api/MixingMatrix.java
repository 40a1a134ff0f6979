package io.papa.api;

import java.util.Arrays;

/**
 * The result of a merge decision: child {@code k} becomes {@code sum_j weight(k, j) * member_j}, for
 * every parameter and running statistic. Averaging (PAPA-all), pairing (PAPA-2), PAPA's gradual pull
 * and soups are all such matrices, which lets the engine apply any strategy as one reduction per
 * tensor and lets REPAIR know each child's parents. Rows must be non-negative and sum to one.
 */
public final class MixingMatrix {

    private static final double TOLERANCE = 1e-9;

    private final double[][] weights;
    private final String description;

    public MixingMatrix(double[][] weights, String description) {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("mixing matrix is empty");
        }
        this.weights = new double[n][];
        for (int k = 0; k < n; k++) {
            if (weights[k].length != n) {
                throw new IllegalArgumentException("mixing matrix row " + k + " has " + weights[k].length
                        + " entries, expected " + n);
            }
            double sum = 0;
            for (double w : weights[k]) {
                if (!(w >= 0)) {
                    throw new IllegalArgumentException("mixing matrix row " + k + " has a negative or NaN weight: "
                            + Arrays.toString(weights[k]));
                }
                sum += w;
            }
            if (Math.abs(sum - 1) > 1e-6) {
                throw new IllegalArgumentException("mixing matrix row " + k + " sums to " + sum + ", not 1");
            }
            this.weights[k] = weights[k].clone();
        }
        this.description = description;
    }

    public static MixingMatrix identity(int n) {
        double[][] w = new double[n][n];
        for (int k = 0; k < n; k++) {
            w[k][k] = 1;
        }
        return new MixingMatrix(w, "identity");
    }

    public static MixingMatrix uniform(int n) {
        double[][] w = new double[n][n];
        for (double[] row : w) {
            Arrays.fill(row, 1.0 / n);
        }
        return new MixingMatrix(w, "uniform average");
    }

    public int size() {
        return weights.length;
    }

    public double weight(int child, int parent) {
        return weights[child][parent];
    }

    public double[] row(int child) {
        return weights[child].clone();
    }

    public boolean isIdentity() {
        for (int k = 0; k < weights.length; k++) {
            for (int j = 0; j < weights.length; j++) {
                if (Math.abs(weights[k][j] - (k == j ? 1 : 0)) > TOLERANCE) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether every child is the same mixture (PAPA-all, soups). */
    public boolean rowsEqual() {
        for (int k = 1; k < weights.length; k++) {
            for (int j = 0; j < weights.length; j++) {
                if (Math.abs(weights[k][j] - weights[0][j]) > TOLERANCE) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What the strategy did, for logs (e.g. the pairs PAPA-2 drew). */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description + " " + Arrays.deepToString(weights);
    }
}
