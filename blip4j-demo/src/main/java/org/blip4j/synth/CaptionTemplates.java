package org.blip4j.synth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Ground-truth captions from templates: lower case, no punctuation, at most {@link #MAX_WORDS} words, only
 * {@link Vocabulary#captionWords()}. Every scene has at least 5 distinct paraphrases (the test split needs 5).
 * Templates are numbered so a corrupted web text can be re-rendered from the same template.
 */
public final class CaptionTemplates {
    public static final int MAX_WORDS = 12;

    /** A template yields null when it does not fit the scene (wrong object count, "next to" for a vertical pair). */
    private static final List<Function<Scene, String>> TEMPLATES = List.of(
            // one object
            s -> one(s, o -> np(o, false)),
            s -> one(s, o -> np(o, true)),
            s -> one(s, o -> np(o, true) + " " + o.position().phrase()),
            s -> one(s, o -> "there is " + np(o, true) + " " + o.position().phrase()),
            s -> one(s, o -> np(o, false) + " on " + withArticle(s.background().pattern().word()) + " background"),
            s -> one(s, o -> np(o, true) + " on " + withArticle(s.background().colour().word()) + " background"),
            s -> one(s, o -> withArticle(s.background().pattern().word()) + " " + s.background().colour().word()
                    + " background with " + np(o, false)),
            s -> one(s, o -> np(o, false) + " " + o.position().phrase() + " of the image"),
            s -> one(s, o -> "a picture of " + np(o, true)),
            // two objects: a is object 0, b object 1, relation of a to b
            s -> two(s, (a, b) -> np(a, false) + " " + s.relation().phrase() + " " + np(b, false)),
            s -> two(s, (a, b) -> np(b, false) + " " + s.relation().inverse().phrase() + " " + np(a, false)),
            s -> two(s, (a, b) -> np(a, true) + " " + s.relation().phrase() + " " + np(b, true)),
            s -> two(s, (a, b) -> np(a, false) + " and " + np(b, false)),
            s -> two(s, (a, b) -> np(a, true) + " and " + np(b, true)),
            s -> two(s, (a, b) -> s.relation().horizontal() ? np(a, false) + " next to " + np(b, false) : null),
            s -> two(s, (a, b) -> np(a, false) + " and " + np(b, false) + " on "
                    + withArticle(s.background().pattern().word()) + " background"),
            s -> two(s, (a, b) -> "two shapes " + np(a, false) + " and " + np(b, false)),
            s -> two(s, (a, b) -> bare(a, false) + " " + a.position().phrase() + " " + bare(b, false) + " "
                    + b.position().phrase()), // alt-text style, no articles: keeps it within 12 words
            s -> two(s, (a, b) -> "there is " + np(a, false) + " " + s.relation().phrase() + " " + np(b, false)),
            // three objects in a row, left to right
            s -> three(s, (a, b, c) -> np(a, false) + " " + np(b, false) + " and " + np(c, false)),
            s -> three(s, (a, b, c) -> "three shapes " + np(a, false) + " " + np(b, false) + " and " + np(c, false)),
            s -> three(s, (a, b, c) -> np(c, false) + " " + np(b, false) + " and " + np(a, false)),
            s -> three(s, (a, b, c) -> "there is " + np(a, false) + " " + np(b, false) + " and " + np(c, false)),
            s -> three(s, (a, b, c) -> np(b, false) + " between " + np(a, false) + " and " + np(c, false)),
            s -> three(s, (a, b, c) -> "three small shapes on " + withArticle(s.background().colour().word())
                    + " background"));

    private CaptionTemplates() {
    }

    public static int templateCount() {
        return TEMPLATES.size();
    }

    /** Template {@code t} applied to {@code scene}, or null when it does not fit. */
    public static String render(int t, Scene scene) {
        return TEMPLATES.get(t).apply(scene);
    }

    /** Indices of the templates that fit the scene, ascending. */
    public static List<Integer> templatesFor(Scene scene) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < TEMPLATES.size(); t++) {
            if (render(t, scene) != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** Every distinct true caption of the scene, in template order. */
    public static List<String> all(Scene scene) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int t : templatesFor(scene)) {
            out.add(render(t, scene));
        }
        return List.copyOf(out);
    }

    /** {@code k} distinct true captions in random order; fails if the scene has fewer paraphrases. */
    public static List<String> sample(Scene scene, int k, SplittableRandom rng) {
        List<String> all = new ArrayList<>(all(scene));
        if (all.size() < k) {
            throw new IllegalStateException("scene has only " + all.size() + " distinct captions, " + k
                    + " requested: " + scene);
        }
        shuffle(all, rng);
        return List.copyOf(all.subList(0, k));
    }

    /** Fisher-Yates with the caller's stream (Collections.shuffle would need a java.util.Random). */
    static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }

    private static String np(SceneObject o, boolean withSize) {
        return withArticle(bare(o, withSize));
    }

    private static String bare(SceneObject o, boolean withSize) {
        return (withSize ? o.size().word() + " " : "") + o.colour().word() + " " + o.shape().word();
    }

    static String withArticle(String phrase) {
        return ("aeiou".indexOf(phrase.charAt(0)) >= 0 ? "an " : "a ") + phrase;
    }

    private interface Two {
        String apply(SceneObject a, SceneObject b);
    }

    private interface Three {
        String apply(SceneObject a, SceneObject b, SceneObject c);
    }

    private static String one(Scene s, Function<SceneObject, String> f) {
        return s.count() == 1 ? f.apply(s.object(0)) : null;
    }

    private static String two(Scene s, Two f) {
        return s.count() == 2 ? f.apply(s.object(0), s.object(1)) : null;
    }

    private static String three(Scene s, Three f) {
        return s.count() == 3 ? f.apply(s.object(0), s.object(1), s.object(2)) : null;
    }
}
