package io.papa.plugins.permutation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LapTest {

    @Test
    void matchesBruteForceOnRandomMatrices() {
        Random random = new Random(1);
        for (int n = 1; n <= 7; n++) {
            for (int trial = 0; trial < (n <= 5 ? 300 : 40); trial++) {
                double[][] value = new double[n][n];
                for (double[] row : value) {
                    for (int j = 0; j < n; j++) {
                        row[j] = random.nextGaussian() * (trial % 3 == 0 ? 1e3 : 1);
                    }
                }
                assertOptimal(value);
            }
        }
    }

    /** Few distinct values: many optimal assignments, and a solver that breaks ties badly would cycle or miss. */
    @Test
    void matchesBruteForceWithTies() {
        Random random = new Random(2);
        for (int n = 1; n <= 7; n++) {
            for (int trial = 0; trial < (n <= 5 ? 300 : 40); trial++) {
                double[][] value = new double[n][n];
                for (double[] row : value) {
                    for (int j = 0; j < n; j++) {
                        row[j] = random.nextInt(3) - 1;
                    }
                }
                assertOptimal(value);
            }
        }
        for (int n = 1; n <= 7; n++) {
            assertOptimal(new double[n][n]);
        }
    }

    @Test
    void findsTheIdentityWhenTheDiagonalDominates() {
        double[][] gram = {{4, 1, 2}, {1, 5, 0}, {2, 0, 6}};
        assertArrayEquals(new int[] {0, 1, 2}, Lap.maximize(gram));
        double[][] shifted = {{1, 9, 1}, {1, 1, 9}, {9, 1, 1}};
        assertArrayEquals(new int[] {1, 2, 0}, Lap.maximize(shifted));
    }

    @Test
    void handlesEmptyAndRejectsBadInput() {
        assertEquals(0, Lap.maximize(new double[0][0]).length);
        assertThrows(IllegalArgumentException.class, () -> Lap.maximize(new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> Lap.maximize(new double[][] {{1, Double.NaN}, {0, 1}}));
    }

    private static void assertOptimal(double[][] value) {
        int n = value.length;
        int[] assignment = Lap.maximize(value);
        boolean[] used = new boolean[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(!used[assignment[i]], "column used twice");
            used[assignment[i]] = true;
            total += value[i][assignment[i]];
        }
        double best = bruteForce(value, 0, new boolean[n]);
        assertEquals(best, total, 1e-9 * Math.max(1, Math.abs(best)));
    }

    private static double bruteForce(double[][] value, int row, boolean[] used) {
        if (row == value.length) {
            return 0;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < value.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.max(best, value[row][j] + bruteForce(value, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }
}
