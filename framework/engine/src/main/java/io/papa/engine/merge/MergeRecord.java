package io.papa.engine.merge;

/** One merge that happened: when, which strategy, what it drew, how long it took. */
public record MergeRecord(int epoch, long step, String strategy, String description, double seconds) {
}
