package io.papa.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * What every pluggable piece has: a stable id that route files and the command line use, a one-line
 * description, and the options it accepts. The host validates options against {@link #options()}
 * before anything runs, so a typo fails at once with the list of valid names.
 */
public interface PapaExtension extends ExtensionPoint {

    /** Stable, lower-case id such as {@code resnet18} or {@code mixup}; unique per extension kind. */
    String id();

    /** One line for {@code papa plugins}. */
    String description();

    /** The options this extension reads; empty when it has none. */
    default List<OptionSpec> options() {
        return List.of();
    }
}
