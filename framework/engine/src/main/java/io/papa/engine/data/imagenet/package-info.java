/**
 * ImageNet (ILSVRC2012) preparation: from the distributed archives to the class-folder layout the
 * {@code image-folder} dataset reads, as the reference's {@code experiments_imagenet.sh} does with
 * {@code tar} and {@code valprep.sh}. It lives in the engine, not in a plugin, so a workflow verb can
 * call {@link io.papa.engine.data.imagenet.ImageNetPreparer#prepare} directly.
 *
 * <p>Output layout:
 * <pre>
 * output/train/&lt;wnid&gt;/&lt;file&gt;.JPEG     one folder per per-class tar of the training archive
 * output/val/&lt;wnid&gt;/&lt;file&gt;.JPEG       the validation images, sorted by their labels
 * output/prepare-summary.txt, .json     counts per class, unreadable images, throughput
 * output/prepare-unreadable.txt         images skipped because they cannot be decoded, with reasons
 * output/prepare-settings.txt           resize and quality, checked when a run resumes
 * </pre>
 * Validation label formats are described in {@link io.papa.engine.data.imagenet.ValidationLabels}.
 */
package io.papa.engine.data.imagenet;
