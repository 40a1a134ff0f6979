package io.papa.api;

/** A dataset that is missing, truncated or corrupt; the message names the file and what was expected. */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
