package org.blip4j.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A scene: 1 to 3 objects on a background. Two-object scenes carry the {@link Relation} of object 0 to object 1
 * (their positions follow from it); three-object scenes are a left-to-right row.
 */
public record Scene(List<SceneObject> objects, Relation relation, Background background) {
    public Scene {
        objects = List.copyOf(objects);
        Objects.requireNonNull(background, "background");
        if (objects.isEmpty() || objects.size() > 3) {
            throw new IllegalArgumentException("a scene has 1 to 3 objects, got " + objects.size());
        }
        if ((objects.size() == 2) != (relation != null)) {
            throw new IllegalArgumentException("exactly the two-object scenes carry a relation (objects="
                    + objects.size() + ", relation=" + relation + ")");
        }
    }

    public SceneObject object(int i) {
        return objects.get(i);
    }

    public int count() {
        return objects.size();
    }

    public Scene withObject(int i, SceneObject o) {
        List<SceneObject> copy = new ArrayList<>(objects);
        copy.set(i, o);
        return new Scene(copy, relation, background);
    }

    /** Same objects in a different arrangement; both positions move with the relation. */
    public Scene withRelation(Relation r) {
        if (objects.size() != 2) {
            throw new IllegalStateException("only two-object scenes have a relation");
        }
        return new Scene(List.of(objects.get(0).withPosition(r.firstPosition()),
                objects.get(1).withPosition(r.secondPosition())), r, background);
    }

    /**
     * The captionable attributes in which {@code other} differs, e.g. {@code "object 0 colour"} or
     * {@code "relation"}; positions of two-object scenes are not counted separately, the relation implies them.
     */
    public List<String> differences(Scene other) {
        List<String> diffs = new ArrayList<>();
        if (other.count() != count()) {
            diffs.add("object count");
            return diffs;
        }
        for (int i = 0; i < count(); i++) {
            SceneObject a = object(i);
            SceneObject b = other.object(i);
            if (a.shape() != b.shape()) {
                diffs.add("object " + i + " shape");
            }
            if (a.colour() != b.colour()) {
                diffs.add("object " + i + " colour");
            }
            if (a.size() != b.size()) {
                diffs.add("object " + i + " size");
            }
            if (count() != 2 && a.position() != b.position()) {
                diffs.add("object " + i + " position");
            }
        }
        if (relation != other.relation()) {
            diffs.add("relation");
        }
        if (background.pattern() != other.background().pattern()) {
            diffs.add("background pattern");
        }
        if (background.colour() != other.background().colour()) {
            diffs.add("background colour");
        }
        return diffs;
    }
}
