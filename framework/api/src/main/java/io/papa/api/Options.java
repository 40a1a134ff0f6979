package io.papa.api;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validated option values of one extension. Built only through {@link #resolve}, which fills
 * defaults and rejects unknown names, missing required values, malformed numbers and values out
 * of range, naming the owner (for example {@code architecture 'resnet20'}) and what is valid.
 */
public final class Options {

    private final String owner;
    private final Map<String, String> values;

    private Options(String owner, Map<String, String> values) {
        this.owner = owner;
        this.values = Collections.unmodifiableMap(values);
    }

    /** Options of an extension that declares none. */
    public static Options none(String owner) {
        return new Options(owner, new LinkedHashMap<>());
    }

    public static Options resolve(String owner, List<OptionSpec> specs, Map<String, String> given) {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        for (OptionSpec spec : specs) {
            byName.put(spec.name(), spec);
        }
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                String valid = byName.isEmpty() ? "it takes no options"
                        : "valid options: " + String.join(", ", byName.keySet());
                throw new InvalidOptionException(owner + " has no option '" + name + "'; " + valid);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (OptionSpec spec : specs) {
            String raw = given.containsKey(spec.name()) ? given.get(spec.name()) : spec.defaultValue();
            if (raw == null) {
                throw new InvalidOptionException(owner + " needs option '" + spec.name() + "' ("
                        + spec.description() + "): " + spec.validValues());
            }
            values.put(spec.name(), check(owner, spec, raw.trim()));
        }
        return new Options(owner, values);
    }

    private static String check(String owner, OptionSpec spec, String raw) {
        String problem = null;
        switch (spec.type()) {
            case INT:
            case DOUBLE:
                double value;
                try {
                    value = spec.type() == OptionType.INT ? Long.parseLong(raw) : Double.parseDouble(raw);
                } catch (NumberFormatException e) {
                    problem = "is not " + (spec.type() == OptionType.INT ? "an integer" : "a number");
                    break;
                }
                if (Double.isNaN(value) || (spec.min() != null && value < spec.min())
                        || (spec.max() != null && value > spec.max())) {
                    problem = "is out of range";
                }
                break;
            case BOOLEAN:
                String lower = raw.toLowerCase(Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    problem = "is not a boolean";
                } else {
                    raw = lower;
                }
                break;
            case CHOICE:
                if (!spec.choices().contains(raw)) {
                    problem = "is not a valid choice";
                }
                break;
            default:
                break;
        }
        if (problem != null) {
            throw new InvalidOptionException(owner + ": option '" + spec.name() + "' value '" + raw + "' "
                    + problem + "; expected " + spec.validValues());
        }
        return raw;
    }

    public String owner() {
        return owner;
    }

    private String raw(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalStateException(owner + " reads option '" + name + "' that it does not declare");
        }
        return value;
    }

    public int getInt(String name) {
        return Integer.parseInt(raw(name));
    }

    public double getDouble(String name) {
        return Double.parseDouble(raw(name));
    }

    public boolean getBoolean(String name) {
        return Boolean.parseBoolean(raw(name));
    }

    public String getString(String name) {
        return raw(name);
    }

    public Path getPath(String name) {
        return Path.of(raw(name));
    }

    /** Every value, defaults included, in declaration order: recorded in provenance. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }
}
