package org.blip4j.synth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Question-answer pairs about a scene, answered from the scene itself: colour, shape, count, position, size and
 * yes/no existence. Answers are single words as VQA expects (counts as digits). Each object is named so that
 * the question is unambiguous (objects of one scene always differ in colour).
 */
public final class VqaQuestions {
    /** One question; the types follow VQA v2 ({@code answerType} is "other", "number" or "yes/no"). */
    public record Qa(String question, String answer, String questionType, String answerType) {
    }

    private VqaQuestions() {
    }

    /**
     * Up to {@code k} questions of different types, types in random order (so each type is about equally common);
     * an existence question is "yes" or "no" with equal chance.
     */
    public static List<Qa> ask(Scene s, int k, SplittableRandom rng) {
        List<List<Qa>> byType = candidates(s, rng);
        CaptionTemplates.shuffle(byType, rng);
        List<Qa> out = new ArrayList<>();
        for (List<Qa> type : byType) {
            if (out.size() == k) {
                break;
            }
            out.add(type.get(rng.nextInt(type.size())));
        }
        return out;
    }

    private static List<List<Qa>> candidates(Scene s, SplittableRandom rng) {
        List<Qa> colour = new ArrayList<>();
        List<Qa> shape = new ArrayList<>();
        List<Qa> where = new ArrayList<>();
        List<Qa> size = new ArrayList<>();
        for (SceneObject o : s.objects()) {
            String name = o.colour().word() + " " + o.shape().word();
            if (s.objects().stream().filter(p -> p.shape() == o.shape()).count() == 1) {
                colour.add(new Qa("what color is the " + o.shape().word(), o.colour().word(), "what color is the",
                        "other"));
            }
            shape.add(new Qa("what shape is the " + o.colour().word() + " object", o.shape().word(),
                    "what shape is the", "other"));
            where.add(new Qa("where is the " + name, o.position().word(), "where is the",
                    "other"));
            if (s.count() < 3) { // three-object rows are all small: nothing to ask
                size.add(new Qa("is the " + name + " small or large", o.size().word(), "is the", "other"));
            }
        }
        List<List<Qa>> out = new ArrayList<>();
        out.add(List.of(new Qa("how many shapes are there", Integer.toString(s.count()), "how many", "number")));
        out.add(List.of(exists(s, rng)));
        for (List<Qa> type : List.of(colour, shape, where, size)) {
            if (!type.isEmpty()) {
                out.add(type);
            }
        }
        return out;
    }

    /** "is there a red circle": half the time an object of the scene, else a colour-shape pair it lacks. */
    private static Qa exists(Scene s, SplittableRandom rng) {
        Set<String> present = new HashSet<>();
        for (SceneObject o : s.objects()) {
            present.add(o.colour().word() + " " + o.shape().word());
        }
        String name;
        String answer;
        if (rng.nextBoolean()) {
            SceneObject o = s.object(rng.nextInt(s.count()));
            name = o.colour().word() + " " + o.shape().word();
            answer = "yes";
        } else {
            do {
                name = SceneSampler.pick(rng, Colour.values()).word() + " " + SceneSampler.pick(rng, Shape.values()).word();
            } while (present.contains(name));
            answer = "no";
        }
        return new Qa("is there " + CaptionTemplates.withArticle(name), answer, "is there a", "yes/no");
    }
}
