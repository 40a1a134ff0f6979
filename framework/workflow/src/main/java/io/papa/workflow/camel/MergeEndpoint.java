package io.papa.workflow.camel;

import io.papa.api.InvalidOptionException;
import io.papa.api.MergeStrategy;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.run.Experiment;
import io.papa.engine.run.ReferenceAligners;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * {@code papa:merge}: the population's merge and its schedule (main.py:199-337). The options are
 * part of the population's configuration, recorded in every checkpoint and result: papa:create takes
 * them from the papa:merge of its route, so that {@code papa:train?until=nextMerge} knows the
 * schedule from the start. A merge runs only when the epoch just trained is a merge epoch whose
 * merge has not run (so a resumed route never merges twice), then the population is checkpointed.
 * REPAIR after the merge is {@code repair=true}, as in the reference: it needs the parents.
 */
@UriEndpoint(scheme = "papa", syntax = "papa:merge", title = "PAPA merge", producerOnly = true,
        category = {org.apache.camel.Category.AI})
public final class MergeEndpoint extends RunEndpoint {

    /** A route without papa:merge trains independent members, as the reference's method_comb none. */
    static final String NONE = "none";

    @UriParam(defaultValue = "avg", description = "Merge strategy id (the reference's method_comb): avg (PAPA-all),"
            + " pair_half (PAPA-2), gradual (PAPA: pulls toward the mean every emaEveryK steps during training), none,"
            + " pair_75, many_half, many_75, greedy_soup, random, or a plugin's")
    private String strategy = "avg";

    @UriParam(multiValue = true, prefix = "merge.", description = "Options of the merge strategy, e.g."
            + " merge.ema_alpha=0.99 for gradual, merge.pairs=reference for pair_half (see papa plugins)")
    private final Map<String, String> strategyOptions = new LinkedHashMap<>();

    @UriParam(defaultValue = "5", description = "Merge after every k-th epoch (every_k_epochs; epoch-cadence strategies)")
    private int everyKEpochs = 5;

    @UriParam(defaultValue = "10", description = "PAPA (gradual): pull every k optimiser steps (ema_every_k)")
    private int emaEveryK = 10;

    @UriParam(defaultValue = "0.0,1.0", description = "Merge only while from <= (epoch+1)/epochs <= to (range_merge)")
    private List<Double> rangeMerge = List.of(0.0, 1.0);

    @UriParam(defaultValue = "true", description = "Allow a merge after the first epoch (mix_from_start)")
    private boolean mixFromStart = true;

    @UriParam(defaultValue = "true", description = "REPAIR every child after a merge, as the reference's default;"
            + " epoch-cadence strategies only (the reference applies none with PAPA's pulls)")
    private boolean repair = true;

    @UriParam(defaultValue = "5", description = "Batches per REPAIR statistics pass (n_iter)")
    private int nIter = 5;

    @UriParam(defaultValue = "exact", enums = "exact,reference",
            description = "REPAIR of a bias-free conv: exact folds its shift into the next BatchNorm; reference drops it, as the reference code")
    private String repairShift = "exact";

    @UriParam(defaultValue = "false", description = "Permutation-align every member to member 0 before each merge"
            + " (needs the papa-permutation plugin)")
    private boolean permutation;

    @UriParam(defaultValue = "activation", enums = "activation,weight", description = "Permutation matching:"
            + " activation (the reference) or weight (Git Re-Basin)")
    private String matching = "activation";

    @UriParam(defaultValue = "50", description = "Batches for activation matching (n_iter_matching)")
    private int nIterMatching = 50;

    public MergeEndpoint(String uri, PapaComponent component) {
        super(uri, component, "merge");
    }

    /** The schedule of a route without papa:merge: independent members. */
    static void applyNone(PopulationConfig.Builder builder) {
        builder.merge(NONE, Map.of()).aligners(Map.of());
    }

    /** Puts this merge's strategy, schedule and aligners into a population's configuration. */
    void applyTo(PopulationConfig.Builder builder, PluginHost host) {
        builder.merge(strategy, strategyOptions).everyKEpochs(everyKEpochs).emaEveryK(emaEveryK)
                .rangeMerge(rangeMerge.get(0), rangeMerge.get(1)).mixFromStart(mixFromStart);
        MergeStrategy.Cadence cadence = host.get(MergeStrategy.class, strategy).cadence();
        builder.aligners(cadence == MergeStrategy.Cadence.EPOCHS
                ? ReferenceAligners.of(permutation, matching, nIterMatching, repair, nIter, repairShift) : Map.of());
        if (cadence != MergeStrategy.Cadence.EPOCHS && ((repair && given("repair")) || (permutation && given("permutation")))) {
            throw new InvalidOptionException("papa:merge options repair and permutation act around epoch merges; '"
                    + strategy + "' " + (cadence == MergeStrategy.Cadence.STEPS
                            ? "pulls every few steps, where the reference applies neither" : "never merges")
                    + "; use papa:evaluate?repairSoup=true&permutation=true for the final soups");
        }
    }

    @Override
    protected void check(PluginHost host) {
        if (rangeMerge.size() != 2) {
            throw new InvalidOptionException("papa:merge option rangeMerge: " + rangeMerge
                    + " is not valid; expected two fractions from,to");
        }
        PopulationConfig.Builder builder = PopulationConfig.builder();
        host.find(MergeStrategy.class, strategy);
        applyTo(builder, host);
        checkAligners(host, ReferenceAligners.of(permutation, matching, nIterMatching, repair, nIter, repairShift));
        PopulationConfig config;
        try {
            config = builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(EndpointOptions.of(verb(), getClass()).explain(e.getMessage(), Map.of()));
        }
        Experiment.checkMerging(config, host);
    }

    /** Whether {@code config} has this merge's strategy, schedule and aligners. */
    boolean describes(PopulationConfig config, PluginHost host) {
        PopulationConfig.Builder builder = config.toBuilder();
        applyTo(builder, host);
        return builder.build().equals(config);
    }

    @Override
    public Producer createProducer() {
        return new MergeProducer(this);
    }

    @Override
    public String toString() {
        return "papa:merge?strategy=" + strategy;
    }
}
