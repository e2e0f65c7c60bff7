package org.blip4j.synth;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebCorrupterTest {
    static WebSplit web;

    @BeforeAll
    static void build() {
        web = WebSplit.build(1000, 0.4, new SplittableRandom(5), new SplittableRandom(6));
    }

    @Test
    void noiseFractionIsExactAndSplitEquallyBetweenKinds() {
        Map<NoiseKind, Integer> counts = new EnumMap<>(NoiseKind.class);
        web.kinds().forEach(k -> counts.merge(k, 1, Integer::sum));
        assertEquals(600, counts.get(NoiseKind.CLEAN));
        assertEquals(134, counts.get(NoiseKind.MISMATCHED));
        assertEquals(133, counts.get(NoiseKind.ATTRIBUTE));
        assertEquals(133, counts.get(NoiseKind.JUNK));
        for (double f : new double[] {0, 0.1, 0.25, 0.4, 1}) {
            NoiseKind[] kinds = WebCorrupter.assignKinds(1000, f, new SplittableRandom(1));
            long noisy = Arrays.stream(kinds).filter(k -> k != NoiseKind.CLEAN).count();
            assertEquals(Math.round(1000 * f), noisy, "noise " + f);
        }
    }

    @Test
    void cleanTextsAreTrueCaptions() {
        for (int i = 0; i < web.size(); i++) {
            assertTrue(CaptionTemplates.all(web.scenes().get(i)).contains(web.truths().get(i)), "truth " + i);
            if (web.kinds().get(i) == NoiseKind.CLEAN) {
                assertEquals(web.truths().get(i), web.texts().get(i));
            }
        }
    }

    @Test
    void attributeTextsDifferFromTheTruthInExactlyOneAttributeWord() {
        Set<String> colours = words(Colour.values());
        Set<String> shapes = words(Shape.values());
        Set<String> sizes = words(Size.values());
        Set<String> where = Set.of("left", "right", "top", "bottom", "center", "above", "below");
        Set<String> glue = Set.of("a", "an", "to", "the", "of", "on", "at", "in");
        int checked = 0;
        for (int i = 0; i < web.size(); i++) {
            if (web.kinds().get(i) != NoiseKind.ATTRIBUTE) {
                continue;
            }
            String text = web.texts().get(i);
            assertFalse(CaptionTemplates.all(web.scenes().get(i)).contains(text), "not a true caption: " + text);
            List<String> a = List.of(web.truths().get(i).split(" "));
            List<String> b = List.of(text.split(" "));
            List<String> was = new ArrayList<>();
            List<String> now = new ArrayList<>();
            changedWords(a, b, was, now);
            was.removeAll(glue);
            now.removeAll(glue);
            if (!was.isEmpty() && where.containsAll(was) && where.containsAll(now) && was.size() == now.size()) {
                checked++; // an arrangement change: the positions template names both objects' places
                continue;
            }
            assertEquals(1, was.size(), web.truths().get(i) + " -> " + text);
            assertEquals(1, now.size(), web.truths().get(i) + " -> " + text);
            for (Set<String> category : List.of(colours, shapes, sizes, where)) {
                assertEquals(category.contains(was.get(0)), category.contains(now.get(0)),
                        "same kind of attribute: " + web.truths().get(i) + " -> " + text);
            }
            checked++;
        }
        assertEquals(133, checked);
    }

    @Test
    void attributeCorruptionChangesExactlyOneSceneAttributeForEveryTemplate() {
        SplittableRandom rng = new SplittableRandom(3);
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (Scene s : CaptionTemplatesTest.randomScenes(4, 120)) {
            for (int t : CaptionTemplates.templatesFor(s)) {
                WebCorrupter.AttributeCorruption c = WebCorrupter.attribute(s, t, rng);
                List<String> diff = s.differences(c.describes());
                assertEquals(1, diff.size(), c.detail() + ": " + diff);
                assertNotEquals(CaptionTemplates.render(c.template(), s), c.text());
                assertFalse(CaptionTemplates.all(s).contains(c.text()));
                assertEquals(c.text(), CaptionTemplates.render(c.template(), c.describes()));
                kinds.merge(diff.get(0).replaceAll("object \\d ", ""), 1, Integer::sum);
            }
        }
        // Every attribute kind gets corrupted.
        assertEquals(Set.of("colour", "shape", "size", "position", "relation"), kinds.keySet());
    }

    @Test
    void mismatchedTextsAreAnotherImagesCaptionThatDoesNotFit() {
        int checked = 0;
        for (int i = 0; i < web.size(); i++) {
            if (web.kinds().get(i) != NoiseKind.MISMATCHED) {
                continue;
            }
            String text = web.texts().get(i);
            int j = Integer.parseInt(web.details().get(i).replace("caption of web image ", ""));
            assertNotEquals(i, j);
            assertEquals(web.truths().get(j), text);
            assertNotEquals(web.truths().get(i), text);
            assertFalse(CaptionTemplates.all(web.scenes().get(i)).contains(text));
            for (SceneObject o : web.scenes().get(i).objects()) {
                assertFalse(text.contains(o.colour().word() + " " + o.shape().word()), text + " names " + o);
            }
            checked++;
        }
        assertEquals(134, checked);
    }

    @Test
    void junkTextsComeFromTheJunkVocabulary() {
        for (int i = 0; i < web.size(); i++) {
            if (web.kinds().get(i) == NoiseKind.JUNK) {
                for (String w : web.texts().get(i).split(" ")) {
                    assertTrue(Vocabulary.junkWords().contains(w) || w.matches("(img|dsc)_\\d{4}\\.jpg"), w);
                }
            }
        }
    }

    @Test
    void sameStreamsGiveTheSameSplit() {
        WebSplit small = WebSplit.build(200, 0.4, new SplittableRandom(5), new SplittableRandom(6));
        assertEquals(small, WebSplit.build(200, 0.4, new SplittableRandom(5), new SplittableRandom(6)));
        assertEquals(web.scenes().subList(0, 200), small.scenes()); // scenes are drawn one after another
        // The noise stream never touches scenes: a different noise level keeps every image.
        WebSplit lessNoise = WebSplit.build(200, 0.1, new SplittableRandom(5), new SplittableRandom(6));
        assertEquals(small.scenes(), lessNoise.scenes());
    }

    /**
     * The words that differ: position by position when the lengths agree (a swap keeps the sentence shape),
     * else the middle left after removing the common prefix and suffix (e.g. "to the left of" -> "above").
     */
    private static void changedWords(List<String> a, List<String> b, List<String> was, List<String> now) {
        if (a.size() == b.size()) {
            for (int k = 0; k < a.size(); k++) {
                if (!a.get(k).equals(b.get(k))) {
                    was.add(a.get(k));
                    now.add(b.get(k));
                }
            }
            return;
        }
        int pre = 0;
        while (pre < Math.min(a.size(), b.size()) && a.get(pre).equals(b.get(pre))) {
            pre++;
        }
        int suf = 0;
        while (suf < Math.min(a.size(), b.size()) - pre && a.get(a.size() - 1 - suf).equals(b.get(b.size() - 1 - suf))) {
            suf++;
        }
        was.addAll(a.subList(pre, a.size() - suf));
        now.addAll(b.subList(pre, b.size() - suf));
    }

    private static Set<String> words(Enum<?>[] values) {
        Set<String> out = new HashSet<>();
        for (Enum<?> v : values) {
            out.add(v.name().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }
}
