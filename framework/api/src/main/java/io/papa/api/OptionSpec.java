package io.papa.api;

import java.util.List;
import java.util.Objects;

/**
 * One declared option of an extension: its name, type, default (as text, {@code null} when the
 * option is required), help text and, for numbers, an inclusive range; for choices, the valid values.
 */
public record OptionSpec(
        String name,
        OptionType type,
        String defaultValue,
        String description,
        Double min,
        Double max,
        List<String> choices) {

    public OptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (type == OptionType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice option '" + name + "' declares no choices");
        }
    }

    public static OptionSpec integer(String name, int defaultValue, String description) {
        return new OptionSpec(name, OptionType.INT, Integer.toString(defaultValue), description, null, null, null);
    }

    public static OptionSpec decimal(String name, double defaultValue, String description) {
        return new OptionSpec(name, OptionType.DOUBLE, Double.toString(defaultValue), description, null, null, null);
    }

    public static OptionSpec flag(String name, boolean defaultValue, String description) {
        return new OptionSpec(name, OptionType.BOOLEAN, Boolean.toString(defaultValue), description, null, null, null);
    }

    public static OptionSpec text(String name, String defaultValue, String description) {
        return new OptionSpec(name, OptionType.STRING, defaultValue, description, null, null, null);
    }

    public static OptionSpec path(String name, String defaultValue, String description) {
        return new OptionSpec(name, OptionType.PATH, defaultValue, description, null, null, null);
    }

    public static OptionSpec choice(String name, String defaultValue, String description, String... choices) {
        return new OptionSpec(name, OptionType.CHOICE, defaultValue, description, null, null, List.of(choices));
    }

    /** The same option restricted to {@code [min, max]} (inclusive). */
    public OptionSpec range(double min, double max) {
        if (type != OptionType.INT && type != OptionType.DOUBLE) {
            throw new IllegalArgumentException("range applies to numeric options, not '" + name + "'");
        }
        return new OptionSpec(name, type, defaultValue, description, min, max, choices);
    }

    /** Human-readable description of what is valid, used in error messages and listings. */
    public String validValues() {
        switch (type) {
            case INT:
            case DOUBLE:
                if (min == null && max == null) {
                    return type == OptionType.INT ? "an integer" : "a number";
                }
                return (type == OptionType.INT ? "an integer" : "a number") + " in ["
                        + format(min) + ", " + format(max) + "]";
            case BOOLEAN:
                return "true or false";
            case CHOICE:
                return "one of " + String.join(", ", choices);
            case PATH:
                return "a file or directory path";
            default:
                return "text";
        }
    }

    private String format(Double bound) {
        if (bound == null) {
            return "∞";
        }
        if (type == OptionType.INT || bound == Math.rint(bound)) {
            return Long.toString(bound.longValue());
        }
        return bound.toString();
    }
}
