package org.blip4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.blip4j.image.TrainTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLoaderTest {
    private static final SampleTransform AUGMENT = SampleTransform.train(new TrainTransform(16, 0.5, true));

    @TempDir
    Path dir;

    private DataLoader.Builder loader(List<Sample> samples, int workers) {
        return DataLoader.builder(samples, AUGMENT).batchSize(4).seed(42).shuffle(true).dropLast(true)
                .workers(workers).prefetchBatches(2);
    }

    private static List<Batch> all(DataLoader loader, int epoch) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            out.add(b);
        }
        return out;
    }

    private static void assertSameBatches(List<Batch> expected, List<Batch> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Batch e = expected.get(i);
            Batch a = actual.get(i);
            assertEquals(e.index(), a.index());
            assertEquals(e.keys(), a.keys());
            assertEquals(e.captions(), a.captions());
            assertArrayEquals(e.imageIds(), a.imageIds());
            assertArrayEquals(e.pixels(), a.pixels(), "pixels of batch " + i); // exact, bit for bit
            assertEquals(e.next(), a.next());
        }
    }

    @Test
    void identicalForAnyWorkerCountAndRun() {
        List<Sample> samples = TestImages.fileSamples(dir, 18, List.of(3), List.of(8));
        List<Batch> one;
        try (DataLoader l = loader(samples, 1).build()) {
            one = all(l, 0);
        }
        try (DataLoader l = loader(samples, 3).build()) {
            assertSameBatches(one, all(l, 0));
        }
        try (DataLoader l = loader(samples, 3).prefetchBatches(1).build()) {
            assertSameBatches(one, all(l, 0));
        }
        assertEquals(4, one.size()); // 16 decodable samples
        assertEquals(4 * 3 * 16 * 16, one.get(0).pixels().length);
        assertEquals(3 * 16 * 16, one.get(0).floatsPerSample());
    }

    @Test
    void epochsAndSeedsShuffleDifferently() {
        List<Sample> samples = TestImages.fileSamples(dir, 16, List.of(), List.of());
        try (DataLoader l = loader(samples, 2).build(); DataLoader other = loader(samples, 2).seed(7).build()) {
            List<String> e0 = keys(all(l, 0));
            List<String> e1 = keys(all(l, 1));
            assertNotEquals(e0, e1);
            assertEquals(Set.copyOf(e0), Set.copyOf(e1));
            assertEquals(e0, keys(all(l, 0)));
            assertNotEquals(e0, keys(all(other, 0)));
        }
        try (DataLoader l = loader(samples, 2).shuffle(false).build()) {
            assertEquals(samples.stream().map(Sample::key).toList(), keys(all(l, 3)));
        }
    }

    @Test
    void badImagesAreSkippedCountedAndBatchesKeepTheirSize() {
        List<Sample> samples = TestImages.fileSamples(dir, 20, List.of(1, 7, 13), List.of(2, 9, 16));
        List<EpochReport> ended = new ArrayList<>();
        try (DataLoader l = loader(samples, 3).maxSkipExamples(2).onEpochEnd(ended::add).build()) {
            Epoch epoch = l.epoch(0);
            List<Batch> batches = new ArrayList<>();
            epoch.forEach(batches::add);

            assertEquals(3, batches.size()); // 14 good samples, batch 4, drop_last
            batches.forEach(b -> assertEquals(4, b.size()));
            Set<String> bad = Set.of("s1", "s7", "s13", "s2", "s9", "s16");
            assertTrue(keys(batches).stream().noneMatch(bad::contains));
            EpochReport r = epoch.report();
            assertEquals(List.of(r), ended);
            assertTrue(r.complete());
            assertEquals(20, r.samplesSeen());
            assertEquals(12, r.samplesDelivered());
            assertEquals(2, r.droppedAtEnd());
            assertEquals(3, r.skipped(SkipReason.MISSING));
            assertEquals(3, r.skipped(SkipReason.UNDECODABLE));
            assertEquals(6, r.skippedTotal());
            assertEquals(2, r.skippedExamples().size());
            assertTrue(r.skippedExamples().get(0).contains(dir.toString()), r.skippedExamples().toString());
            assertTrue(r.summary().contains("3 missing, 3 undecodable"), r.summary());
        }
        try (DataLoader l = loader(samples, 3).dropLast(false).build()) {
            List<Batch> batches = all(l, 0);
            assertEquals(List.of(4, 4, 4, 2), batches.stream().map(Batch::size).toList());
        }
    }

    @Test
    void resumeFromAnyBatchReproducesTheUninterruptedRun() {
        List<Sample> samples = TestImages.fileSamples(dir, 22, List.of(0, 5, 6), List.of(11, 19));
        List<Batch> full;
        try (DataLoader l = loader(samples, 2).build()) {
            full = all(l, 1);
        }
        assertEquals(4, full.size());
        for (int k = 1; k <= full.size(); k++) {
            ResumePoint stored = full.get(k - 1).next();
            // a fresh loader (a restarted process) with a different worker count
            try (DataLoader l = loader(samples, 3).build()) {
                List<Batch> rest = new ArrayList<>();
                Epoch resumed = l.resume(stored);
                resumed.forEach(rest::add);
                assertSameBatches(full.subList(k, full.size()), rest);
                assertEquals(full.size() - k, resumed.report().batches());
                assertEquals(stored, l.locate(1, k)); // recomputed by decoding, without a stored point
            }
        }
        try (DataLoader l = loader(samples, 1).build()) {
            assertEquals(ResumePoint.startOf(1), l.locate(1, 0));
            assertThrows(IllegalArgumentException.class, () -> l.locate(1, 5));
        }
    }

    @Test
    void prefetchIsBounded() throws InterruptedException {
        List<Sample> samples = TestImages.fileSamples(dir, 40, List.of(), List.of());
        AtomicInteger started = new AtomicInteger();
        SampleTransform counting = (s, img, rnd) -> {
            started.incrementAndGet();
            return new float[] {img.width()};
        };
        int bound = 2 * 4; // prefetchBatches * batchSize
        int maxLead = 0;
        try (DataLoader l = DataLoader.builder(samples, counting).batchSize(4).workers(3).prefetchBatches(2)
                .build()) {
            int consumed = 0;
            for (Batch b : l.epoch(0)) {
                consumed += b.size();
                Thread.sleep(15); // a slow consumer: workers run ahead as far as they may
                int lead = started.get() - consumed;
                maxLead = Math.max(maxLead, lead);
                assertTrue(lead <= bound, "samples in flight " + lead + " > bound " + bound);
            }
        }
        assertTrue(maxLead > 4, "workers never prefetched beyond the current batch: " + maxLead);
    }

    @Test
    void closingStopsWorkers() throws InterruptedException {
        List<Sample> samples = TestImages.fileSamples(dir, 40, List.of(), List.of());
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        SampleTransform slow = (s, img, rnd) -> {
            workers.add(Thread.currentThread());
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[] {1};
        };
        DataLoader l = DataLoader.builder(samples, slow).batchSize(2).workers(3).prefetchBatches(4).build();
        Epoch epoch = l.epoch(0);
        assertTrue(epoch.hasNext());
        epoch.next();
        l.close();
        assertFalse(epoch.hasNext());
        assertFalse(epoch.report().complete());
        assertFalse(workers.isEmpty());
        for (Thread t : workers) {
            t.join(5000);
            assertFalse(t.isAlive(), t.getName() + " still running after close");
            assertTrue(t.getName().startsWith("blip4j-data-"));
        }
        assertThrows(IllegalStateException.class, () -> l.epoch(1));
    }

    @Test
    void closingFromAnotherThreadWakesABlockedConsumer() throws Exception {
        List<Sample> samples = TestImages.fileSamples(dir, 12, List.of(), List.of());
        CountDownLatch never = new CountDownLatch(1);
        SampleTransform stuck = (s, img, rnd) -> {
            try {
                never.await(); // until close() interrupts the worker
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[] {1};
        };
        DataLoader l = DataLoader.builder(samples, stuck).batchSize(4).workers(1).prefetchBatches(2).build();
        Epoch epoch = l.epoch(0);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try {
                outcome.set(epoch.hasNext());
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        }, "consumer");
        consumer.start();
        // close only once the consumer waits for the first sample, so the outcome is the blocked-consumer one
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (consumer.getState() != Thread.State.WAITING) {
            assertTrue(consumer.isAlive() && System.nanoTime() < deadline, "consumer never blocked: " + outcome.get());
            Thread.sleep(1);
        }
        l.close();
        consumer.join(5000);
        assertFalse(consumer.isAlive(), "close() did not wake the consumer");
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome.get());
        assertEquals("data loader is closed", e.getMessage());
    }

    @Test
    void transformErrorsAreFatalAndNameTheSample() {
        List<Sample> samples = TestImages.fileSamples(dir, 6, List.of(), List.of());
        SampleTransform broken = (s, img, rnd) -> {
            if (s.key().equals("s4")) {
                throw new IllegalStateException("boom");
            }
            return new float[] {1};
        };
        try (DataLoader l = DataLoader.builder(samples, broken).batchSize(2).workers(2).build()) {
            Epoch epoch = l.epoch(0);
            epoch.next();
            epoch.next();
            DataLoaderException e = assertThrows(DataLoaderException.class, epoch::next);
            assertTrue(e.getMessage().contains("s4") && e.getMessage().contains("boom"), e.getMessage());
        }
    }

    @Test
    void multiCaptionSamplesPickOneCaptionDeterministically() {
        Path img = TestImages.write(dir.resolve("one.png"), TestImages.encode("png", 8, 8, 1));
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            samples.add(new Sample("m" + i, new ImageSource.File(img), List.of("a", "b", "c"), 0, i));
        }
        SampleTransform t = (s, im, rnd) -> new float[] {0};
        try (DataLoader l1 = DataLoader.builder(samples, t).batchSize(12).workers(1).build();
             DataLoader l3 = DataLoader.builder(samples, t).batchSize(12).workers(3).build()) {
            List<String> picks = all(l1, 0).get(0).captions();
            assertEquals(picks, all(l3, 0).get(0).captions());
            assertTrue(Set.copyOf(picks).size() > 1, picks.toString());
        }
    }

    private static List<String> keys(List<Batch> batches) {
        return batches.stream().flatMap(b -> b.keys().stream()).toList();
    }
}
