package io.papa.workflow.camel;

import io.papa.engine.run.ReferenceAligners;
import java.util.Map;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * {@code papa:align}: permutation-aligns every member to member 0 (recombine/corr_matching.py); each
 * member keeps its function, only its hidden units are reordered, so that later averages combine
 * corresponding units. Needs the papa-permutation plugin. Then checkpoints.
 */
@UriEndpoint(scheme = "papa", syntax = "papa:align", title = "PAPA permutation alignment", producerOnly = true,
        category = {org.apache.camel.Category.AI})
public final class AlignEndpoint extends RealignEndpoint {

    @UriParam(defaultValue = "activation", enums = "activation,weight", description = "activation: correlation of"
            + " channel activations (the reference); weight: Git Re-Basin weight matching")
    private String matching = "activation";

    @UriParam(defaultValue = "50", description = "Batches for activation matching (n_iter_matching)")
    private int nIterMatching = 50;

    public AlignEndpoint(String uri, PapaComponent component) {
        super(uri, component, "align");
    }

    @Override
    Map<String, Map<String, String>> aligners() {
        return Map.of(ReferenceAligners.PERMUTATION, ReferenceAligners.permutationOptions(matching, nIterMatching));
    }
}
