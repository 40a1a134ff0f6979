package io.papa.engine.checkpoint;

import io.papa.engine.merge.MergeRecord;
import io.papa.engine.population.EpochRecord;
import io.papa.engine.population.PopulationConfig;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint directory holds besides the tensors: where the run is (optimiser steps taken),
 * its history, the configuration that made it, and a SHA-256 per file. Data order and every random
 * draw derive from the seed and the step count, so no generator state needs saving.
 *
 * @param counters optimiser scalars per member, keyed {@code member/key}
 */
public record Manifest(
        int format,
        long step,
        int epoch,
        String label,
        String createdAt,
        String papaVersion,
        String gitCommit,
        PopulationConfig config,
        List<EpochRecord> history,
        List<MergeRecord> merges,
        Map<String, Long> counters,
        Map<String, FileEntry> files) {

    public static final int FORMAT = 1;

    public record FileEntry(String sha256, long bytes) {
    }
}
