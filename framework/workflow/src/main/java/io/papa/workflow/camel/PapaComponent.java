package io.papa.workflow.camel;

import io.papa.api.InvalidOptionException;
import io.papa.workflow.schedule.StageScheduler;
import io.papa.workflow.session.Sessions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code papa:} component: one endpoint per verb of a population experiment. Its populations
 * live in a {@link Sessions} registry by run directory, its training stages run on the Quartz
 * device slots of a {@link StageScheduler}. Route files are checked when the CamelContext starts
 * ({@link RouteCheck}), before anything trains.
 */
public final class PapaComponent extends DefaultComponent {

    /** An endpoint class's constructor. */
    @FunctionalInterface
    interface Verb {
        PapaEndpoint create(String uri, PapaComponent component);
    }

    /** Every verb with its endpoint class, in the order a route uses them. */
    static final Map<String, Class<? extends PapaEndpoint>> VERB_CLASSES = new LinkedHashMap<>();
    private static final Map<String, Verb> VERBS = new LinkedHashMap<>();

    static {
        verb("create", CreateEndpoint.class, CreateEndpoint::new);
        verb("train", TrainEndpoint.class, TrainEndpoint::new);
        verb("merge", MergeEndpoint.class, MergeEndpoint::new);
        verb("align", AlignEndpoint.class, AlignEndpoint::new);
        verb("repair", RepairEndpoint.class, RepairEndpoint::new);
        verb("evaluate", EvaluateEndpoint.class, EvaluateEndpoint::new);
        verb("checkpoint", CheckpointEndpoint.class, CheckpointEndpoint::new);
        verb("report", ReportEndpoint.class, ReportEndpoint::new);
        verb("imagenet-prepare", ImageNetPrepareEndpoint.class, ImageNetPrepareEndpoint::new);
    }

    private static void verb(String name, Class<? extends PapaEndpoint> type, Verb constructor) {
        VERB_CLASSES.put(name, type);
        VERBS.put(name, constructor);
    }

    private final Sessions sessions;
    private final StageScheduler stages;
    private final Consumer<String> log;
    private final boolean mustResume;

    /**
     * @param log one line per step that changed a population (created, resumed, merged...)
     * @param mustResume papa:create refuses to start a new run (papa run --resume)
     */
    public PapaComponent(Sessions sessions, StageScheduler stages, Consumer<String> log, boolean mustResume) {
        this.sessions = sessions;
        this.stages = stages;
        this.log = log;
        this.mustResume = mustResume;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        Verb verb = VERBS.get(remaining);
        if (verb == null) {
            throw new InvalidOptionException("unknown papa verb '" + remaining + "'; valid: "
                    + String.join(", ", VERBS.keySet()));
        }
        PapaEndpoint endpoint = verb.create(uri, this);
        endpoint.bind(parameters);
        return endpoint;
    }

    /** The options of every verb, as Markdown tables (for the README). */
    public static String optionTables() {
        StringBuilder tables = new StringBuilder();
        VERB_CLASSES.forEach((name, type) -> tables.append("#### `papa:").append(name).append("`\n\n")
                .append(EndpointOptions.of(name, type).markdownTable()).append('\n'));
        return tables.toString();
    }

    public Sessions sessions() {
        return sessions;
    }

    public StageScheduler stages() {
        return stages;
    }

    boolean mustResume() {
        return mustResume;
    }

    void log(String line) {
        log.accept(line);
    }
}
