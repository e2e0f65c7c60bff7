package org.blip4j.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Draws random scenes; a scene depends only on the random stream, so a seed fixes the whole world. */
public final class SceneSampler {
    /** Share of one- and two-object scenes; the rest (rare) have three. */
    static final double P_ONE = 0.45;
    static final double P_TWO = 0.47;
    /** Jitter in units of the image side: small enough that objects never leave the frame or overlap. */
    private static final double JITTER_SINGLE = 0.04;
    private static final double JITTER_ALONG = 0.02;
    private static final double JITTER_ACROSS = 0.05;

    private SceneSampler() {
    }

    public static Scene sample(SplittableRandom rng) {
        Background bg = new Background(pick(rng, BackgroundPattern.values()), pick(rng, BackgroundColour.values()),
                rng.nextInt(4), rng.nextLong());
        double u = rng.nextDouble();
        if (u < P_ONE) {
            return single(rng, bg);
        }
        return u < P_ONE + P_TWO ? pair(rng, bg) : row(rng, bg);
    }

    private static Scene single(SplittableRandom rng, Background bg) {
        Position p = pick(rng, Position.values());
        SceneObject o = new SceneObject(pick(rng, Shape.values()), pick(rng, Colour.values()),
                pick(rng, Size.values()), p, p.x() + jitter(rng, JITTER_SINGLE), p.y() + jitter(rng, JITTER_SINGLE));
        return new Scene(List.of(o), null, bg);
    }

    /** Two objects of different colours, so a relation between them is unambiguous. */
    private static Scene pair(SplittableRandom rng, Background bg) {
        Relation r = pick(rng, Relation.values());
        List<Colour> colours = distinctColours(rng, 2);
        List<SceneObject> objects = new ArrayList<>();
        double across = jitter(rng, JITTER_ACROSS); // shared, so the pair stays aligned on the relation's axis
        for (int i = 0; i < 2; i++) {
            Position p = i == 0 ? r.firstPosition() : r.secondPosition();
            double along = jitter(rng, JITTER_ALONG);
            double cx = p.x() + (r.horizontal() ? along : across);
            double cy = p.y() + (r.horizontal() ? across : along);
            objects.add(new SceneObject(pick(rng, Shape.values()), colours.get(i), pick(rng, Size.values()), p, cx, cy));
        }
        return new Scene(objects, r, bg);
    }

    /** Three small objects in a left-to-right row; small so that three fit side by side. */
    private static Scene row(SplittableRandom rng, Background bg) {
        List<Colour> colours = distinctColours(rng, 3);
        Position[] positions = {Position.LEFT, Position.CENTER, Position.RIGHT};
        double[] xs = {0.2, 0.5, 0.8};
        List<SceneObject> objects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            objects.add(new SceneObject(pick(rng, Shape.values()), colours.get(i), Size.SMALL, positions[i],
                    xs[i] + jitter(rng, JITTER_ALONG), 0.5 + jitter(rng, JITTER_ACROSS)));
        }
        return new Scene(objects, null, bg);
    }

    private static List<Colour> distinctColours(SplittableRandom rng, int n) {
        List<Colour> all = new ArrayList<>(List.of(Colour.values()));
        List<Colour> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(all.remove(rng.nextInt(all.size())));
        }
        return out;
    }

    private static double jitter(SplittableRandom rng, double amplitude) {
        return rng.nextDouble(-amplitude, amplitude);
    }

    static <T> T pick(SplittableRandom rng, T[] values) {
        return values[rng.nextInt(values.length)];
    }
}
