package io.papa.workflow.camel;

import io.papa.api.InvalidOptionException;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;

/**
 * The options of a papa endpoint class, read from its {@link UriParam} fields: binding URI
 * parameters to the fields (with a clear message for unknown names and bad values), and the option
 * table for the documentation. Supported field types: int, long, double, boolean, String,
 * {@code List<Double>} and {@code List<String>} (comma-separated), and {@code Map<String, String>}
 * for multi-value options with a prefix ({@code dataset.limit=600}).
 */
public final class EndpointOptions {

    /** One option: its field and annotation. */
    public record Option(String name, Field field, UriParam param) {

        /** What the option accepts, for messages and the table. */
        public String validValues() {
            if (!param.enums().isEmpty()) {
                return "one of " + param.enums().replace(",", ", ");
            }
            Class<?> type = field.getType();
            if (param.multiValue()) {
                return param.prefix() + "<key>=<value> for any option the plugin declares";
            }
            if (type == int.class || type == long.class) {
                return "an integer";
            }
            if (type == double.class) {
                return "a number";
            }
            if (type == boolean.class) {
                return "true or false";
            }
            if (type == List.class) {
                return elementType(field) == Double.class ? "comma-separated numbers" : "comma-separated values";
            }
            return "text";
        }
    }

    private final String verb;
    private final Map<String, Option> byName = new LinkedHashMap<>();

    private EndpointOptions(String verb, Class<?> endpointClass) {
        this.verb = verb;
        List<Class<?>> hierarchy = new ArrayList<>();
        // papa's own options: Camel's DefaultEndpoint options (lazyStartProducer...) do not apply to its steps
        for (Class<?> c = endpointClass; PapaEndpoint.class.isAssignableFrom(c); c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                UriParam param = field.getAnnotation(UriParam.class);
                if (param != null) {
                    field.setAccessible(true);
                    String name = param.name().isEmpty() ? field.getName() : param.name();
                    byName.put(name, new Option(name, field, param));
                }
            }
        }
    }

    public static EndpointOptions of(String verb, Class<?> endpointClass) {
        return new EndpointOptions(verb, endpointClass);
    }

    public List<Option> options() {
        return List.copyOf(byName.values());
    }

    /**
     * Sets every parameter on the endpoint's fields and removes it from {@code parameters}.
     *
     * @return the names given (prefixed options by their prefix), so that a verb can tell an explicit
     *     value from a default
     */
    public Set<String> bind(Object endpoint, Map<String, Object> parameters) {
        Set<String> given = new LinkedHashSet<>();
        for (String key : List.copyOf(parameters.keySet())) {
            Object raw = parameters.remove(key);
            String value = raw == null ? "" : String.valueOf(raw);
            Option option = byName.get(key);
            Option prefixed = option != null ? null : byPrefix(key);
            if (option == null && prefixed == null) {
                throw new InvalidOptionException("papa:" + verb + " has no option '" + key + "'; valid options: "
                        + String.join(", ", names()));
            }
            try {
                if (prefixed != null) {
                    putPrefixed(endpoint, prefixed, key.substring(prefixed.param().prefix().length()), value);
                    given.add(prefixed.name());
                } else {
                    option.field().set(endpoint, convert(option, value));
                    given.add(option.name());
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return given;
    }

    private Option byPrefix(String key) {
        for (Option option : byName.values()) {
            if (option.param().multiValue() && key.startsWith(option.param().prefix())
                    && key.length() > option.param().prefix().length()) {
                return option;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void putPrefixed(Object endpoint, Option option, String key, String value)
            throws IllegalAccessException {
        // an empty value leaves the plugin's default: route files can offer {{limit:}} for any dataset
        if (!value.isBlank()) {
            ((Map<String, String>) option.field().get(endpoint)).put(key, value.trim());
        }
    }

    private Object convert(Option option, String raw) {
        String value = raw.trim();
        Class<?> type = option.field().getType();
        try {
            if (!option.param().enums().isEmpty()
                    && !Arrays.asList(option.param().enums().split(",")).contains(value)) {
                throw new IllegalArgumentException();
            }
            if (type == int.class) {
                return Integer.parseInt(value);
            }
            if (type == long.class) {
                return Long.parseLong(value);
            }
            if (type == double.class) {
                return Double.parseDouble(value);
            }
            if (type == boolean.class) {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException();
                }
                return Boolean.parseBoolean(value.toLowerCase(Locale.ROOT));
            }
            if (type == List.class) {
                List<String> parts = value.isEmpty() ? List.of()
                        : Arrays.stream(value.split(",")).map(String::trim).toList();
                return elementType(option.field()) == Double.class
                        ? parts.stream().map(Double::parseDouble).toList() : parts;
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("papa:" + verb + " option " + option.name() + ": '" + raw
                    + "' is not valid; expected " + option.validValues());
        }
    }

    private static Class<?> elementType(Field field) {
        return (Class<?>) ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0];
    }

    /** Option names, prefixed ones as {@code prefix*}. */
    public List<String> names() {
        return byName.values().stream()
                .map(o -> o.param().multiValue() ? o.param().prefix() + "*" : o.name())
                .collect(Collectors.toList());
    }

    /**
     * The endpoint option an engine message names in the reference's spelling ({@code n_pop},
     * {@code every_k_epochs}): the option whose camelCase name has that snake_case form.
     */
    public String fromReferenceName(String snake) {
        for (String name : byName.keySet()) {
            if (snakeCase(name).equals(snake)) {
                return name;
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern ENGINE_NAME = java.util.regex.Pattern.compile("^invalid (\\S+) = ");

    /**
     * An engine message about an option in the reference's spelling ({@code invalid n_pop = 0; ...})
     * with the endpoint's spelling ({@code papa:create: invalid nPop = 0; ...}); {@code aliases} maps
     * other engine names (regulariser ids) to options.
     */
    public String explain(String message, Map<String, String> aliases) {
        java.util.regex.Matcher m = ENGINE_NAME.matcher(message);
        if (m.find()) {
            String option = aliases.containsKey(m.group(1)) ? aliases.get(m.group(1)) : fromReferenceName(m.group(1));
            if (option != null) {
                return "papa:" + verb + ": invalid " + option + " = " + message.substring(m.end());
            }
        }
        return "papa:" + verb + ": " + message;
    }

    static String snakeCase(String camel) {
        return camel.replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2").replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT);
    }

    /** A Markdown table of the options: name, default, what it accepts, description. */
    public String markdownTable() {
        StringBuilder table = new StringBuilder("| option | default | valid values | description |\n|---|---|---|---|\n");
        for (Option option : byName.values()) {
            String name = option.param().multiValue() ? option.param().prefix() + "*" : option.name();
            Metadata metadata = option.field().getAnnotation(Metadata.class);
            String defaultValue = metadata != null && metadata.required() ? "(required)"
                    : option.param().defaultValue().isEmpty() ? "" : "`" + option.param().defaultValue() + "`";
            table.append("| `").append(name).append("` | ").append(defaultValue).append(" | ")
                    .append(option.validValues()).append(" | ")
                    .append(option.param().description().replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        return table.toString();
    }
}
