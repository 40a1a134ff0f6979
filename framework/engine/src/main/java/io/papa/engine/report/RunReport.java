package io.papa.engine.report;

import io.papa.engine.eval.FinalResults;
import io.papa.engine.merge.MergeRecord;
import io.papa.engine.population.EpochRecord;
import io.papa.engine.population.PopulationConfig;
import java.util.List;

/** Everything a finished run reports, as written to {@code results.json}. */
public record RunReport(
        Provenance provenance,
        PopulationConfig config,
        FinalResults results,
        List<EpochRecord> history,
        List<MergeRecord> merges,
        double trainingSeconds,
        double imagesPerSecond) {
}
