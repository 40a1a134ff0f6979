package io.papa.plugins.permutation;

import java.util.Arrays;

/**
 * Exact linear assignment: the permutation {@code p} maximising {@code sum_i value[i][p[i]]}. Shortest
 * augmenting paths with dual potentials (the Hungarian method in Jonker-Volgenant form), O(n^3):
 * rows are added one at a time and each is routed to a free column along a path of least reduced
 * cost, which keeps the partial assignment optimal.
 */
final class Lap {

    private Lap() {
    }

    /** @return {@code p} with row {@code i} assigned to column {@code p[i]} */
    static int[] maximize(double[][] value) {
        int n = value.length;
        for (double[] row : value) {
            if (row.length != n) {
                throw new IllegalArgumentException("assignment needs a square matrix, got a row of " + row.length
                        + " in a " + n + "-row matrix");
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("assignment values must be finite, got " + v);
                }
            }
        }
        // minimise cost = -value; index 0 is a virtual column (and row) that starts every search
        double[] rowPotential = new double[n + 1];
        double[] columnPotential = new double[n + 1];
        int[] rowOfColumn = new int[n + 1];
        int[] previous = new int[n + 1];
        double[] slack = new double[n + 1];
        boolean[] visited = new boolean[n + 1];
        for (int row = 1; row <= n; row++) {
            rowOfColumn[0] = row;
            int column = 0;
            Arrays.fill(slack, Double.POSITIVE_INFINITY);
            Arrays.fill(visited, false);
            do {
                visited[column] = true;
                int current = rowOfColumn[column];
                double delta = Double.POSITIVE_INFINITY;
                int next = 0;
                for (int j = 1; j <= n; j++) {
                    if (visited[j]) {
                        continue;
                    }
                    double reduced = -value[current - 1][j - 1] - rowPotential[current] - columnPotential[j];
                    if (reduced < slack[j]) {
                        slack[j] = reduced;
                        previous[j] = column;
                    }
                    if (slack[j] < delta) {
                        delta = slack[j];
                        next = j;
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (visited[j]) {
                        rowPotential[rowOfColumn[j]] += delta;
                        columnPotential[j] -= delta;
                    } else {
                        slack[j] -= delta;
                    }
                }
                column = next;
            } while (rowOfColumn[column] != 0);
            // flip the matched and unmatched edges along the path back to the virtual column
            while (column != 0) {
                int before = previous[column];
                rowOfColumn[column] = rowOfColumn[before];
                column = before;
            }
        }
        int[] assignment = new int[n];
        for (int j = 1; j <= n; j++) {
            assignment[rowOfColumn[j] - 1] = j - 1;
        }
        return assignment;
    }
}
