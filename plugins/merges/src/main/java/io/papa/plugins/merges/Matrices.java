package io.papa.plugins.merges;

import java.util.Arrays;

/** Small builders shared by the strategies whose matrices follow a fixed pattern. */
final class Matrices {

    private Matrices() {
    }

    /** Every row is {@code rest} everywhere except {@code self} on the diagonal. */
    static double[][] diagonalPlusRest(int n, double self, double rest) {
        double[][] w = new double[n][n];
        for (int k = 0; k < n; k++) {
            Arrays.fill(w[k], rest);
            w[k][k] = self;
        }
        return w;
    }

    /** Child k keeps {@code self} of member k and shares the remainder equally among the others. */
    static double[][] selfWeighted(int n, double self) {
        return n == 1 ? new double[][] {{1}} : diagonalPlusRest(n, self, (1 - self) / (n - 1));
    }
}
