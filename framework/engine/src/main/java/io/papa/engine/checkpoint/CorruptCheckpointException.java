package io.papa.engine.checkpoint;

/** A checkpoint whose files are missing or do not match their recorded checksums. */
public class CorruptCheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
