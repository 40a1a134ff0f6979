package io.papa.api;

/** An option value that is unknown, missing or out of range; the message names owner, option and what is valid. */
public class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidOptionException(String message) {
        super(message);
    }
}
