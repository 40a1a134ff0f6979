package io.papa.plugins.regularizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BetaDistributionTest {

    private static final int DRAWS = 200_000;

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.5, 1, 2})
    void symmetricBetaHasMeanOneHalfAndTheBetaVariance(double alpha) {
        SplittableRandom random = new SplittableRandom(1234);
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < DRAWS; i++) {
            double x = BetaDistribution.sample(alpha, alpha, random);
            assertTrue(x >= 0 && x <= 1, "draw outside [0, 1]: " + x);
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / DRAWS;
        double variance = sumSq / DRAWS - mean * mean;
        // Beta(a, a): mean a / 2a, variance a^2 / ((2a)^2 (2a + 1)) = 1 / (4 (2a + 1))
        assertEquals(0.5, mean, 0.005);
        assertEquals(1 / (4 * (2 * alpha + 1)), variance, 0.003);
    }

    @Test
    void asymmetricBetaHasTheBetaMeanAndVariance() {
        SplittableRandom random = new SplittableRandom(99);
        double a = 0.3;
        double b = 3;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < DRAWS; i++) {
            double x = BetaDistribution.sample(a, b, random);
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / DRAWS;
        double variance = sumSq / DRAWS - mean * mean;
        assertEquals(a / (a + b), mean, 0.002);
        assertEquals(a * b / ((a + b) * (a + b) * (a + b + 1)), variance, 0.002);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.5, 1, 2, 7.5})
    void gammaHasMeanAndVarianceEqualToItsShape(double shape) {
        SplittableRandom random = new SplittableRandom(7);
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < DRAWS; i++) {
            double x = Math.exp(BetaDistribution.logGamma(shape, random));
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / DRAWS;
        double variance = sumSq / DRAWS - mean * mean;
        assertEquals(shape, mean, 0.02 * Math.max(1, shape));
        assertEquals(shape, variance, 0.05 * Math.max(1, shape));
    }

    @Test
    void tinyAlphaStillGivesFiniteDrawsPiledAtTheEnds() {
        SplittableRandom random = new SplittableRandom(5);
        int nearEnds = 0;
        for (int i = 0; i < 10_000; i++) {
            double x = BetaDistribution.sample(0.01, 0.01, random);
            assertTrue(x >= 0 && x <= 1, "draw outside [0, 1]: " + x);
            if (x < 1e-3 || x > 1 - 1e-3) {
                nearEnds++;
            }
        }
        assertTrue(nearEnds > 9_000, "Beta(0.01, 0.01) should be almost always at 0 or 1, got " + nearEnds);
    }

    @Test
    void sameSeedGivesSameDraws() {
        SplittableRandom a = new SplittableRandom(11);
        SplittableRandom b = new SplittableRandom(11);
        for (int i = 0; i < 100; i++) {
            assertEquals(BetaDistribution.sample(0.4, 0.4, a), BetaDistribution.sample(0.4, 0.4, b));
        }
    }

    @Test
    void nonPositiveShapeIsRejected() {
        SplittableRandom random = new SplittableRandom(1);
        assertThrows(IllegalArgumentException.class, () -> BetaDistribution.sample(0, 1, random));
        assertThrows(IllegalArgumentException.class, () -> BetaDistribution.sample(1, Double.NaN, random));
    }
}
