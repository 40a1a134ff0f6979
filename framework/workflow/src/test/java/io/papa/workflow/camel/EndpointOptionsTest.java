package io.papa.workflow.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.workflow.schedule.StageScheduler;
import io.papa.workflow.session.Sessions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EndpointOptionsTest {

    @Test
    void everyOptionIsDocumentedAndItsDeclaredDefaultIsTheFieldsStartingValue() throws Exception {
        Sessions sessions = new Sessions(null, () -> null);
        StageScheduler stages = new StageScheduler(sessions, new Properties());
        try {
            PapaComponent component = new PapaComponent(sessions, stages, line -> { }, false);
            for (Map.Entry<String, Class<? extends PapaEndpoint>> verb : PapaComponent.VERB_CLASSES.entrySet()) {
                PapaEndpoint endpoint = verb.getValue().getConstructor(String.class, PapaComponent.class)
                        .newInstance("papa:" + verb.getKey(), component);
                EndpointOptions options = EndpointOptions.of(verb.getKey(), verb.getValue());
                for (EndpointOptions.Option option : options.options()) {
                    assertFalse(option.param().description().isBlank(), verb.getKey() + "." + option.name());
                    String declared = option.param().defaultValue();
                    String actual = startingValue(option.field().get(endpoint));
                    boolean numeric = !declared.isEmpty() && declared.matches("[-0-9.E]+");
                    assertTrue(numeric ? Double.parseDouble(declared) == Double.parseDouble(actual)
                            : declared.equals(actual), "papa:" + verb.getKey() + " option " + option.name()
                                    + " declares default '" + declared + "' but starts at '" + actual + "'");
                }
            }
        } finally {
            stages.scheduler().shutdown();
        }
    }

    /** A field's value as an option's text: lists comma-separated, an empty map as nothing. */
    private static String startingValue(Object value) {
        if (value instanceof java.util.List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? "" : map.toString();
        }
        return value == null ? "" : String.valueOf(value);
    }

    @Test
    void engineMessagesInTheReferenceSpellingNameTheEndpointOption() {
        EndpointOptions create = EndpointOptions.of("create", CreateEndpoint.class);
        assertEquals("papa:create: invalid nPop = 0; expected an integer >= 1",
                create.explain("invalid n_pop = 0; expected an integer >= 1", Map.of()));
        assertEquals("papa:merge: invalid everyKEpochs = 0; expected an integer >= 1",
                EndpointOptions.of("merge", MergeEndpoint.class).explain("invalid every_k_epochs = 0; expected an"
                        + " integer >= 1", Map.of()));
        assertEquals("papa:create: invalid linearProbTime = 2.0; expected a fraction in [0, 1]",
                create.explain("invalid linear_prob_time = 2.0; expected a fraction in [0, 1]", Map.of()));
    }

    @Test
    void theOptionTablesListEveryVerb() {
        String tables = PapaComponent.optionTables();
        for (String verb : PapaComponent.VERB_CLASSES.keySet()) {
            assertTrue(tables.contains("#### `papa:" + verb + "`"), verb);
        }
        assertTrue(tables.contains("| `dataset.*` |"), tables);
        assertTrue(tables.contains("| `until` | `nextMerge` | one of nextMerge, end |"), tables);
    }

    @Test
    void theReadmeShowsTheCurrentOptionTables() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../../README.md"));
        assertTrue(readme.contains(PapaComponent.optionTables()), "README.md's option tables are out of date;"
                + " replace them with:\n" + PapaComponent.optionTables());
    }
}
