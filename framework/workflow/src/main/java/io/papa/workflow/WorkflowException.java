package io.papa.workflow;

/**
 * A route file that cannot run: malformed YAML, an unknown endpoint option, an unknown plugin id, an
 * invalid value, or a step that failed. The message starts with the file and line when known.
 */
public class WorkflowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkflowException(String message) {
        super(message);
    }

    public WorkflowException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code file:line: message}, or {@code message} alone when the place is unknown. */
    public static WorkflowException at(String location, int line, String message) {
        String where = location == null ? null : location.startsWith("file:") ? location.substring(5) : location;
        return new WorkflowException(where == null ? message : where + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
