package org.blip4j.synth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class VqaQuestionsTest {
    private static final Pattern COLOUR = Pattern.compile("what color is the (\\w+)");
    private static final Pattern SHAPE = Pattern.compile("what shape is the (\\w+) object");
    private static final Pattern WHERE = Pattern.compile("where is the (\\w+) (\\w+)");
    private static final Pattern SIZE = Pattern.compile("is the (\\w+) (\\w+) small or large");
    private static final Pattern EXISTS = Pattern.compile("is there an? (\\w+) (\\w+)");

    @Test
    void everyAnswerFollowsFromTheScene() {
        SplittableRandom rng = new SplittableRandom(21);
        Map<String, Integer> answers = new TreeMap<>();
        for (Scene s : CaptionTemplatesTest.randomScenes(22, 400)) {
            List<VqaQuestions.Qa> qas = VqaQuestions.ask(s, 3, rng);
            assertEquals(3, qas.size());
            assertEquals(3, qas.stream().map(VqaQuestions.Qa::questionType).distinct().count(), "types differ");
            for (VqaQuestions.Qa qa : qas) {
                assertEquals(expected(s, qa.question()), qa.answer(), qa.question() + " / " + s);
                answers.merge(qa.answerType().equals("yes/no") ? qa.answer() : qa.answerType(), 1, Integer::sum);
            }
        }
        int yes = answers.get("yes");
        int no = answers.get("no");
        assertTrue(Math.abs(yes - no) < 0.3 * (yes + no), "yes/no balanced: " + answers);
        assertTrue(answers.get("number") > 0 && answers.get("other") > 0, answers.toString());
    }

    /** Independent reading of the question against the scene. */
    private static String expected(Scene s, String q) {
        Matcher m;
        if (q.equals("how many shapes are there")) {
            return Integer.toString(s.count());
        } else if ((m = COLOUR.matcher(q)).matches()) {
            String sh = m.group(1);
            return only(s, o -> o.shape().word().equals(sh)).colour().word();
        } else if ((m = SHAPE.matcher(q)).matches()) {
            String c = m.group(1);
            return only(s, o -> o.colour().word().equals(c)).shape().word();
        } else if ((m = WHERE.matcher(q)).matches()) {
            String c = m.group(1);
            String sh = m.group(2);
            SceneObject o = only(s, p -> p.colour().word().equals(c) && p.shape().word().equals(sh));
            return horizontalOrVertical(s, o);
        } else if ((m = SIZE.matcher(q)).matches()) {
            String c = m.group(1);
            return only(s, o -> o.colour().word().equals(c)).size().word();
        } else if ((m = EXISTS.matcher(q)).matches()) {
            String c = m.group(1);
            String sh = m.group(2);
            return s.objects().stream().anyMatch(o -> o.colour().word().equals(c) && o.shape().word().equals(sh))
                    ? "yes" : "no";
        }
        return fail("unexpected question: " + q);
    }

    /** Position from the drawn coordinates, not from the label: the label must agree with the picture. */
    private static String horizontalOrVertical(Scene s, SceneObject o) {
        double dx = o.cx() - 0.5;
        double dy = o.cy() - 0.5;
        if (Math.abs(dx) < 0.1 && Math.abs(dy) < 0.1) {
            return "center";
        }
        String answer = Math.abs(dx) > Math.abs(dy) ? (dx < 0 ? "left" : "right") : (dy < 0 ? "top" : "bottom");
        assertEquals(o.position().name().toLowerCase(Locale.ROOT), answer, "label matches drawing in " + s);
        return answer;
    }

    private static SceneObject only(Scene s, java.util.function.Predicate<SceneObject> p) {
        List<SceneObject> hits = s.objects().stream().filter(p).toList();
        assertEquals(1, hits.size(), "question names exactly one object of " + s);
        return hits.get(0);
    }
}
