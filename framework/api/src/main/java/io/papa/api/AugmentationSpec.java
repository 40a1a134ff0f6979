package io.papa.api;

import java.util.Map;

/** A regulariser applied to every member with a fixed strength: a dataset's standard augmentation. */
public record AugmentationSpec(String regularizerId, double strength, Map<String, String> options) {

    public AugmentationSpec {
        options = Map.copyOf(options);
    }

    public static AugmentationSpec of(String regularizerId, double strength) {
        return new AugmentationSpec(regularizerId, strength, Map.of());
    }
}
