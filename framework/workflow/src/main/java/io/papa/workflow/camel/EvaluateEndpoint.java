package io.papa.workflow.camel;

import io.papa.engine.plugin.PluginHost;
import io.papa.engine.run.ReferenceAligners;
import java.util.Map;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * {@code papa:evaluate}: what the reference evaluates at the end (main.py:390-426): every member's
 * test and validation accuracy, the logit ensemble, the uniform soup and the greedy soup. The body
 * becomes the reference's summary line; papa:report writes the results.
 */
@UriEndpoint(scheme = "papa", syntax = "papa:evaluate", title = "PAPA evaluation", producerOnly = true,
        category = {org.apache.camel.Category.AI})
public final class EvaluateEndpoint extends RunEndpoint {

    @UriParam(defaultValue = "false", description = "Permutation-align the members before building each soup"
            + " (permutation; needs the papa-permutation plugin)")
    private boolean permutation;

    @UriParam(defaultValue = "false", description = "REPAIR the average and greedy soups (repair_soup)")
    private boolean repairSoup;

    @UriParam(defaultValue = "activation", enums = "activation,weight", description = "Permutation matching")
    private String matching = "activation";

    @UriParam(defaultValue = "50", description = "Batches for activation matching (n_iter_matching)")
    private int nIterMatching = 50;

    @UriParam(defaultValue = "5", description = "Batches per REPAIR statistics pass of the soups (n_iter)")
    private int nIter = 5;

    @UriParam(defaultValue = "exact", enums = "exact,reference",
            description = "REPAIR of a bias-free conv: exact folds its shift into the next BatchNorm; reference drops it, as the reference code")
    private String repairShift = "exact";

    public EvaluateEndpoint(String uri, PapaComponent component) {
        super(uri, component, "evaluate");
    }

    Map<String, Map<String, String>> soupAligners() {
        return ReferenceAligners.of(permutation, matching, nIterMatching, repairSoup, nIter, repairShift);
    }

    @Override
    protected void check(PluginHost host) {
        checkAligners(host, soupAligners());
    }

    @Override
    public Producer createProducer() {
        return new EvaluateProducer(this);
    }
}
