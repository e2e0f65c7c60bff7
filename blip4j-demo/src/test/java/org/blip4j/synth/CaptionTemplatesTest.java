package org.blip4j.synth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionTemplatesTest {
    static List<Scene> randomScenes(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Scene> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SceneSampler.sample(rng));
        }
        return out;
    }

    @Test
    void captionsUseOnlyTheDocumentedVocabularyAndAtMostTwelveWords() {
        Set<String> used = new HashSet<>();
        for (Scene s : randomScenes(1, 600)) {
            List<String> all = CaptionTemplates.all(s);
            assertTrue(all.size() >= SynthOptions.TEST_REFERENCES, "at least 5 paraphrases: " + s);
            for (String c : all) {
                assertTrue(c.matches("[a-z]+( [a-z]+)*"), "lower case words, single spaces: '" + c + "'");
                String[] words = c.split(" ");
                assertTrue(words.length <= CaptionTemplates.MAX_WORDS, c);
                for (String w : words) {
                    assertTrue(Vocabulary.captionWords().contains(w), "'" + w + "' in '" + c + "'");
                    used.add(w);
                }
            }
        }
        // The vocabulary is tight: every documented word is actually produced.
        assertEquals(Vocabulary.captionWords(), new java.util.TreeSet<>(used));
        int size = Vocabulary.captionWords().size();
        assertTrue(size >= 40 && size <= 60, "vocabulary size " + size);
    }

    @Test
    void captionsNameEveryObjectsColourAndShape() {
        for (Scene s : randomScenes(2, 150)) {
            for (int t : CaptionTemplates.templatesFor(s)) {
                String c = CaptionTemplates.render(t, s);
                for (SceneObject o : s.objects()) {
                    // Only the "three small shapes on a ... background" template leaves objects out.
                    if (!c.startsWith("three small shapes")) {
                        assertTrue(c.contains(o.colour().word() + " " + o.shape().word()), c + " / " + s);
                    }
                }
            }
        }
    }

    @Test
    void articleFollowsTheNextWord() {
        assertEquals("an orange circle", CaptionTemplates.withArticle("orange circle"));
        assertEquals("a large orange circle", CaptionTemplates.withArticle("large orange circle"));
    }

    @Test
    void sampleGivesDistinctCaptionsDeterministically() {
        Scene s = randomScenes(3, 1).get(0);
        List<String> a = CaptionTemplates.sample(s, 5, new SplittableRandom(9));
        List<String> b = CaptionTemplates.sample(s, 5, new SplittableRandom(9));
        assertEquals(a, b);
        assertEquals(5, new HashSet<>(a).size());
        assertTrue(CaptionTemplates.all(s).containsAll(a));
        assertNotNull(CaptionTemplates.render(CaptionTemplates.templatesFor(s).get(0), s));
    }
}
