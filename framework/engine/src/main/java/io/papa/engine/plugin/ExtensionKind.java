package io.papa.engine.plugin;

import io.papa.api.Aligner;
import io.papa.api.Architecture;
import io.papa.api.DatasetProvider;
import io.papa.api.MergeStrategy;
import io.papa.api.PapaExtension;
import io.papa.api.Regularizer;
import java.util.List;

/** The extension points the host knows, with the names used in messages and listings. */
public enum ExtensionKind {
    ARCHITECTURE(Architecture.class, "architecture", "architectures"),
    REGULARIZER(Regularizer.class, "regulariser", "regularisers"),
    DATASET(DatasetProvider.class, "dataset", "datasets"),
    MERGE_STRATEGY(MergeStrategy.class, "merge strategy", "merge strategies"),
    ALIGNER(Aligner.class, "aligner", "aligners");

    private final Class<? extends PapaExtension> type;
    private final String label;
    private final String plural;

    ExtensionKind(Class<? extends PapaExtension> type, String label, String plural) {
        this.type = type;
        this.label = label;
        this.plural = plural;
    }

    public String plural() {
        return plural;
    }

    public Class<? extends PapaExtension> type() {
        return type;
    }

    public String label() {
        return label;
    }

    public static ExtensionKind of(Class<? extends PapaExtension> type) {
        for (ExtensionKind kind : values()) {
            if (kind.type.equals(type)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("not an extension point: " + type.getName());
    }

    public static List<ExtensionKind> all() {
        return List.of(values());
    }
}
