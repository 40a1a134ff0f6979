package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.OptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.random.RandomGenerator;

/**
 * Pair drawing shared by {@code pair_half} and {@code pair_75}. Both modes shuffle a pool of
 * lexicographic pairs {@code (a, b)}, {@code a < b}, and hand its first n entries to slots 0..n-1;
 * they differ only in the pool: all C(n,2) pairs ({@code uniform}) or just the first n of them
 * ({@code reference}, as main.py does without selection because max_select = n_pop).
 */
final class Pairs {

    static final String OPTION = "pairs";
    static final String UNIFORM = "uniform";
    static final String REFERENCE = "reference";

    static final OptionSpec SPEC = OptionSpec.choice(OPTION, UNIFORM,
            "how the n pairs are drawn for n >= 3: 'uniform' = n distinct pairs uniformly from all C(n,2);"
                    + " 'reference' = the first n lexicographic pairs shuffled, as the reference code"
                    + " (member 0 over-represented)",
            UNIFORM, REFERENCE);

    private Pairs() {
    }

    /** One pair per slot; needs at least two members. */
    static int[][] draw(MergeContext context) {
        int n = context.populationSize();
        if (n == 2) {
            // C(2,2) = 1 < 2 slots: the reference gives both slots the only pair
            return new int[][] {{0, 1}, {0, 1}};
        }
        List<int[]> pool = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                pool.add(new int[] {a, b});
            }
        }
        if (context.options().getString(OPTION).equals(REFERENCE)) {
            pool = pool.subList(0, n);
        }
        // partial Fisher-Yates: the first n entries become a uniform ordered sample without replacement
        RandomGenerator random = context.random();
        int[][] slots = new int[n][];
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(pool.size() - i);
            int[] picked = pool.get(j);
            pool.set(j, pool.get(i));
            pool.set(i, picked);
            slots[i] = picked;
        }
        return slots;
    }

    /** "(0,3) (1,2) ..." in slot order; each pair is written as given. */
    static String describe(int[][] pairs) {
        StringJoiner joined = new StringJoiner(" ");
        for (int[] pair : pairs) {
            joined.add("(" + pair[0] + "," + pair[1] + ")");
        }
        return joined.toString();
    }
}
