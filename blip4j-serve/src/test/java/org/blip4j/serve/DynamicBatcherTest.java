package org.blip4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Batching rules: same key together up to the limit, other keys later in order, a bad input fails alone. */
class DynamicBatcherTest {
    @Test
    void requestsWithTheSameKeyShareABatchUpToTheLimit() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        try (DynamicBatcher b = new DynamicBatcher("t", 4, 50, sizes::add)) {
            // hold the worker on a first job so the next ten queue up together
            CompletableFuture<Integer> first = b.submit("block", (List<Integer> in) -> {
                gate.await(5, TimeUnit.SECONDS);
                return in;
            }, 0);
            List<CompletableFuture<String>> a = new ArrayList<>();
            List<CompletableFuture<String>> c = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int j = i;
                a.add(b.submit("a", (List<Integer> in) -> in.stream().map(x -> "a" + x).toList(), j));
                c.add(b.submit("c", (List<Integer> in) -> in.stream().map(x -> "c" + x).toList(), j));
            }
            gate.countDown();
            assertEquals(0, first.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < 10; i++) {
                assertEquals("a" + i, a.get(i).get(5, TimeUnit.SECONDS));
                assertEquals("c" + i, c.get(i).get(5, TimeUnit.SECONDS));
            }
        }
        assertEquals(1, sizes.get(0));
        assertTrue(sizes.stream().allMatch(s -> s <= 4), sizes.toString());
        assertEquals(List.of(1, 4, 4, 4, 4, 2, 2), sizes, "a batch takes up to 4 of its key; other keys wait in order");
    }

    @Test
    void aBadInputFailsOnlyItsOwnRequest() throws Exception {
        try (DynamicBatcher b = new DynamicBatcher("t", 8, 30, s -> { })) {
            DynamicBatcher.BatchFunction<Integer, Integer> f = in -> {
                if (in.contains(3)) {
                    throw new IllegalArgumentException("three is bad");
                }
                return in.stream().map(x -> x * 10).toList();
            };
            List<CompletableFuture<Integer>> out = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                out.add(b.submit("k", f, i));
            }
            for (int i = 0; i < 6; i++) {
                if (i == 3) {
                    ExecutionException e = assertThrows(ExecutionException.class, out.get(i)::get);
                    assertEquals("three is bad", e.getCause().getMessage());
                } else {
                    assertEquals(i * 10, out.get(i).get(5, TimeUnit.SECONDS));
                }
            }
            assertEquals(7, b.submit("k", f, 7).get(5, TimeUnit.SECONDS) / 10, "the worker survives");
        }
    }
}
