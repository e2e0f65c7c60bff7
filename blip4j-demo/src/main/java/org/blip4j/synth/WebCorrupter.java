package org.blip4j.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** The ways alt-text goes wrong: which web texts are corrupted, and how. */
public final class WebCorrupter {
    /** A wrong caption: the text, the scene it truly describes, and what was changed (for humans reading logs). */
    public record AttributeCorruption(int template, String text, Scene describes, String detail) {
    }

    private static final String[] JUNK_WORDS = Vocabulary.junkWords().toArray(new String[0]);

    private WebCorrupter() {
    }

    /**
     * Exactly {@code round(noise * n)} noisy indices, chosen at random, split as equally as possible between the
     * three kinds (any remainder goes to mismatched, then attribute).
     */
    public static NoiseKind[] assignKinds(int n, double noise, SplittableRandom rng) {
        int noisy = (int) Math.round(noise * n);
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        CaptionTemplates.shuffle(order, rng);
        NoiseKind[] kinds = new NoiseKind[n];
        Arrays.fill(kinds, NoiseKind.CLEAN);
        NoiseKind[] noisyKinds = {NoiseKind.MISMATCHED, NoiseKind.ATTRIBUTE, NoiseKind.JUNK};
        for (int k = 0; k < noisy; k++) {
            kinds[order.get(k)] = noisyKinds[k % 3];
        }
        return kinds;
    }

    /**
     * One attribute of the scene made wrong, rendered with template {@code preferred} if some change there alters
     * the meaning, else with another template that fits. The text is never a true caption of {@code scene}.
     * The attribute kind (colour, shape, size, position, relation) is drawn first, so each is about equally likely.
     */
    public static AttributeCorruption attribute(Scene scene, int preferred, SplittableRandom rng) {
        Set<String> truths = new HashSet<>(CaptionTemplates.all(scene));
        List<Integer> templates = new ArrayList<>(CaptionTemplates.templatesFor(scene));
        templates.remove(Integer.valueOf(preferred));
        CaptionTemplates.shuffle(templates, rng);
        templates.add(0, preferred);
        List<List<Mutation>> groups = mutations(scene);
        for (int t : templates) {
            String truth = CaptionTemplates.render(t, scene);
            CaptionTemplates.shuffle(groups, rng);
            for (List<Mutation> group : groups) {
                List<Mutation> candidates = new ArrayList<>(group);
                CaptionTemplates.shuffle(candidates, rng);
                for (Mutation m : candidates) {
                    String text = CaptionTemplates.render(t, m.scene());
                    if (text != null && !text.equals(truth) && !truths.contains(text)) {
                        return new AttributeCorruption(t, text, m.scene(), m.detail());
                    }
                }
            }
        }
        throw new IllegalStateException("no single-attribute change alters any caption of " + scene);
    }

    /**
     * Index of another image whose true caption can stand in as a mismatched text for image {@code i}: it shares
     * no (colour, shape) object with scene {@code i}, so its caption cannot accidentally describe image {@code i}.
     */
    public static int mismatchSource(int i, List<Scene> scenes, List<String> truths, SplittableRandom rng) {
        int n = scenes.size();
        for (int attempt = 0; attempt < 64 && n > 1; attempt++) {
            int j = rng.nextInt(n - 1);
            j = j >= i ? j + 1 : j;
            if (unrelated(scenes.get(i), scenes.get(j), truths.get(j))) {
                return j;
            }
        }
        for (int j = 0; j < n; j++) { // rare fallback for tiny or uniform worlds
            if (j != i && unrelated(scenes.get(i), scenes.get(j), truths.get(j))) {
                return j;
            }
        }
        throw new IllegalStateException("web image " + i + " has no other image to borrow a mismatched caption from");
    }

    private static boolean unrelated(Scene a, Scene b, String bTruth) {
        Set<String> kinds = new HashSet<>();
        for (SceneObject o : a.objects()) {
            kinds.add(o.colour() + "/" + o.shape());
        }
        for (SceneObject o : b.objects()) {
            if (kinds.contains(o.colour() + "/" + o.shape())) {
                return false;
            }
        }
        return !CaptionTemplates.all(a).contains(bTruth);
    }

    /** Alt-text boilerplate: shop phrases, camera file names, or a salad of shop words. */
    public static String junk(SplittableRandom rng) {
        return switch (rng.nextInt(8)) {
            case 0 -> "click here to buy now";
            case 1 -> "free shipping on all orders";
            case 2 -> String.format("img_%04d.jpg", rng.nextInt(10_000));
            case 3 -> String.format("dsc_%04d.jpg", rng.nextInt(10_000));
            case 4 -> "best price in stock now";
            case 5 -> "download hd wallpaper";
            case 6 -> "copyright all rights reserved";
            default -> {
                int len = 3 + rng.nextInt(5);
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < len; k++) {
                    sb.append(k == 0 ? "" : " ").append(JUNK_WORDS[rng.nextInt(JUNK_WORDS.length)]);
                }
                yield sb.toString();
            }
        };
    }

    private record Mutation(Scene scene, String detail) {
    }

    /** All single-attribute changes, grouped by attribute kind. */
    private static List<List<Mutation>> mutations(Scene s) {
        List<Mutation> colour = new ArrayList<>();
        List<Mutation> shape = new ArrayList<>();
        List<Mutation> size = new ArrayList<>();
        List<Mutation> position = new ArrayList<>();
        for (int i = 0; i < s.count(); i++) {
            SceneObject o = s.object(i);
            String who = "object " + i + " ";
            for (Colour c : Colour.values()) {
                if (c != o.colour()) {
                    colour.add(new Mutation(s.withObject(i, o.withColour(c)), who + "colour " + o.colour().word()
                            + " -> " + c.word()));
                }
            }
            for (Shape sh : Shape.values()) {
                if (sh != o.shape()) {
                    shape.add(new Mutation(s.withObject(i, o.withShape(sh)), who + "shape " + o.shape().word()
                            + " -> " + sh.word()));
                }
            }
            for (Size z : Size.values()) {
                if (z != o.size()) {
                    size.add(new Mutation(s.withObject(i, o.withSize(z)), who + "size " + o.size().word()
                            + " -> " + z.word()));
                }
            }
            if (s.count() == 1) {
                for (Position p : Position.values()) {
                    if (p != o.position()) {
                        position.add(new Mutation(s.withObject(i, o.withPosition(p)), who + "position "
                                + o.position().phrase() + " -> " + p.phrase()));
                    }
                }
            }
        }
        if (s.count() == 2) {
            for (Relation r : Relation.values()) {
                if (r != s.relation()) {
                    position.add(new Mutation(s.withRelation(r), "relation " + s.relation().phrase() + " -> "
                            + r.phrase()));
                }
            }
        }
        List<List<Mutation>> groups = new ArrayList<>();
        for (List<Mutation> g : List.of(colour, shape, size, position)) {
            if (!g.isEmpty()) {
                groups.add(g);
            }
        }
        return groups;
    }
}
