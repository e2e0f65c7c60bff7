/**
 * CapFilt (BLIP paper §3.3; docs/CAPFILT.md): bootstrap a pre-training dataset by captioning web images (nucleus
 * sampling, p 0.9) and filtering both the web and the synthetic texts with an ITM head; human pairs are added
 * unfiltered.
 *
 * <ul>
 *   <li>{@link org.blip4j.capfilt.CapfiltStep#process} is the per-partition function (records in, records out,
 *       removed ones included): usable from any distributed engine.</li>
 *   <li>{@link org.blip4j.capfilt.CapfiltPipeline} runs it over files in parts of {@code shardSize} records
 *       ({@code OUT/parts/part-NNNNN.jsonl}, each written atomically), then streams the parts into
 *       {@code OUT/bootstrapped.json} (optionally webdataset shards), {@code report.md} and
 *       {@code itm_histogram.png}, returning a {@link org.blip4j.capfilt.CapfiltReport}.</li>
 *   <li>Restart: rerun with the same arguments ({@code OUT/capfilt.json} holds them and their hash); existing
 *       part files are kept, temporary files discarded, the rest recomputed. Seeds derive from the run seed and
 *       each record's source index, so the result does not depend on restarts, batch size or part size.</li>
 * </ul>
 *
 * <p>Webdataset input ({@link org.blip4j.capfilt.CapfiltConfig#webShards()}, img2dataset layout): one part per
 * input shard, {@code OUT/parts/NAME.jsonl}, computed by {@link org.blip4j.capfilt.ShardParts} here or on a
 * cluster ({@link org.blip4j.capfilt.CapfiltJob} shipped to {@code blip4j-spark}); records carry {@code shard},
 * {@code key} and the sample's {@code KEY.json} as {@code metadata}, and their seeds derive from (shard, key), so
 * the output does not depend on shard order, worker count or who computed a part. Unreadable shards and skipped
 * members are counted per reason in the report.
 *
 * <p>Parts can run side by side ({@code capfilt --workers N}, one thread each, the models shared read-only): a
 * part's records depend only on the part, so the output is byte-identical for any worker count. Small models gain
 * more from workers than from intra-op threads ({@code --workers <cores> --threads 1}).
 *
 * <p>Memory is that of one part plus one batch of decoded images per worker, whatever the input size. Benchmark
 * on tiny-a (100k records, whole pipeline): {@code mvn -q -B test -pl blip4j-core -Dtest=CapfiltBenchmarkTest
 * -Dcapfilt.bench.records=100000}; or with the CLI and a small heap: {@code java -Xmx256m -cp ... org.blip4j.cli.Main
 * capfilt --captioner M --filter M --data web.json --images ROOT --out OUT --threads 1 --batch-size 16}. A manual
 * crash check: start that command, {@code kill -9} it a few times, rerun it, and compare {@code bootstrapped.json}
 * with an uninterrupted run ({@code CapfiltKillRestartTest} automates this).
 */
package org.blip4j.capfilt;
