/**
 * Datasets and batch loading for training and CapFilt, engine-free (plain Java arrays).
 *
 * <ul>
 *   <li>Sources to {@link org.blip4j.data.Sample}s: {@link org.blip4j.data.AnnotationReader} (BLIP and
 *       Karpathy JSON), {@link org.blip4j.data.WebDatasetReader} (img2dataset tar shards, brace patterns via
 *       {@link org.blip4j.data.BraceExpansion}); {@link org.blip4j.data.WebDatasetWriter} writes shards.</li>
 *   <li>{@link org.blip4j.data.DataLoader}: parallel decode and augmentation, bounded prefetch, deterministic
 *       batches for a seed whatever the worker count, bad images skipped and reported per epoch
 *       ({@link org.blip4j.data.EpochReport}), exact resume from a stored {@link org.blip4j.data.ResumePoint}.</li>
 * </ul>
 */
package org.blip4j.data;
