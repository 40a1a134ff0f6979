/**
 * Fused population training: all members of a population executed as one computation.
 * {@link io.papa.engine.fused.PopulationFuser} turns one member's block into a block for {@code n}
 * members (grouped convolutions, per-member BatchNorm channel groups, batched linear layers);
 * {@link io.papa.engine.fused.FusedNetwork} converts values between the members and the fused
 * tensors and merges on the fused layout; {@link io.papa.engine.fused.FusedTrainer} runs the
 * population training step on it. Every fused tensor viewed as {@code (n, -1)} has member
 * {@code k} in row {@code k}.
 *
 * <p>A population uses it with {@code step_path = fused}. On a CPU a grouped convolution does the same
 * arithmetic as the members' own convolutions, so fusing saves only per-operation overhead, and
 * oneDNN's grouped kernels cost more than that (measured 0.7-0.9x the per-member step); measure with
 * {@code papa bench --path per-member,fused} before preferring the fused step.
 */
package io.papa.engine.fused;
