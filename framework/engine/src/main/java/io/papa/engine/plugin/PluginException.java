package io.papa.engine.plugin;

/** A plugin set the host cannot work with: an unknown id, or two plugins claiming the same id. */
public class PluginException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }
}
