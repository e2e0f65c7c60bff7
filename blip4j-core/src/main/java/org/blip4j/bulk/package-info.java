/**
 * Bulk jobs over webdataset shards, one unit of work per shard: {@link org.blip4j.bulk.ShardJob} (what a worker
 * computes for one shard, serializable so a cluster can ship it), {@link org.blip4j.bulk.ShardJobRunner} (the
 * same in this JVM on worker threads), and the caption / embedding jobs. Every job writes
 * {@code PARTS/NAME.jsonl} per input shard atomically, so reruns resume and retried tasks never duplicate.
 */
package org.blip4j.bulk;
