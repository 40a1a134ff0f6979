package io.papa.plugins.architectures;

import io.papa.api.ImageShape;

/** Argument checks shared by the architectures. */
final class Inputs {

    private Inputs() {}

    /** Fails unless {@code halvings} 2x2 max-pools leave at least one pixel in each direction. */
    static void requirePoolable(String architecture, ImageShape input, int halvings) {
        int min = 1 << halvings;
        if (input.height() < min || input.width() < min) {
            throw new IllegalArgumentException(architecture + " needs images of at least " + min + "x" + min
                    + " (" + halvings + " 2x2 max-pools), got " + input.height() + "x" + input.width()
                    + " (input " + input + ")");
        }
    }

    static void requireClasses(String architecture, int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException(architecture + " needs a positive class count, got " + numClasses);
        }
    }
}
