package io.papa.plugins.regularizers;

import java.util.random.RandomGenerator;

/**
 * Beta(a, b) draws from two Gamma draws, X / (X + Y), with Gamma sampled by Marsaglia and Tsang's
 * method. This replaces numpy's {@code np.random.beta}, which timm uses for the mixup/CutMix lambda,
 * and takes all its randomness from the given generator so runs are reproducible.
 */
final class BetaDistribution {

    private BetaDistribution() {
    }

    static double sample(double a, double b, RandomGenerator random) {
        // Combined in log space: for small shapes (alpha 0.2) both Gamma draws often underflow to 0
        // as doubles, which would give 0/0, while their ratio is perfectly well defined.
        double logX = logGamma(a, random);
        double logY = logGamma(b, random);
        return 1 / (1 + Math.exp(logY - logX));
    }

    /** The logarithm of one Gamma(shape, 1) draw. */
    static double logGamma(double shape, RandomGenerator random) {
        if (!(shape > 0) || Double.isInfinite(shape)) {
            throw new IllegalArgumentException("gamma shape must be positive and finite, got " + shape);
        }
        if (shape < 1) {
            // Marsaglia-Tsang only holds for shape >= 1; Gamma(a) = Gamma(a + 1) * U^(1/a).
            double u = 1 - random.nextDouble(); // in (0, 1], so the log is finite
            return logGamma(shape + 1, random) + Math.log(u) / shape;
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            double x2 = x * x;
            // cheap squeeze first, exact acceptance test only when it fails
            if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
                return Math.log(d) + Math.log(v);
            }
        }
    }
}
