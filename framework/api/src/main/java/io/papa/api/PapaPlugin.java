package io.papa.api;

import org.pf4j.Plugin;

/**
 * Lifecycle class for plugins that only contribute extensions and need no start/stop logic: name it
 * as {@code Plugin-Class} in the jar manifest. The built-in plugins all use it.
 */
public class PapaPlugin extends Plugin {
}
