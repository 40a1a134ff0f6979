package io.papa.workflow.camel;

import io.papa.engine.run.ReferenceAligners;
import java.util.Map;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * {@code papa:repair}: stand-alone recalibration: REPAIR of every member with its own statistics as
 * the goal, which re-estimates its BatchNorm statistics and rescales conv outputs no BatchNorm
 * follows. REPAIR after a merge, toward the parents' interpolated statistics, is
 * {@code papa:merge?repair=true} (the default): it needs the parents, which only the merge has.
 * Then checkpoints.
 */
@UriEndpoint(scheme = "papa", syntax = "papa:repair", title = "PAPA recalibration", producerOnly = true,
        category = {org.apache.camel.Category.AI})
public final class RepairEndpoint extends RealignEndpoint {

    @UriParam(defaultValue = "5", description = "Batches per statistics pass (n_iter)")
    private int nIter = 5;

    @UriParam(defaultValue = "exact", enums = "exact,reference",
            description = "REPAIR of a bias-free conv: exact folds its shift into the next BatchNorm; reference drops it, as the reference code")
    private String repairShift = "exact";

    public RepairEndpoint(String uri, PapaComponent component) {
        super(uri, component, "repair");
    }

    @Override
    Map<String, Map<String, String>> aligners() {
        return Map.of(ReferenceAligners.REPAIR, ReferenceAligners.repairOptions(nIter, repairShift));
    }
}
