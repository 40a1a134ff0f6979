package io.papa.engine.population;

/** A member's loss became NaN or infinite: training diverged. */
public class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(String message) {
        super(message);
    }
}
