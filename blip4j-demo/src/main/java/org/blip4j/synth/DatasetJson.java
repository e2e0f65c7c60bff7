package org.blip4j.synth;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blip4j.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the split files as Jackson trees (insertion-ordered, so output bytes depend only on the data) and
 * writes them atomically. Large lists are compact like BLIP's own annotation files; world.json is indented.
 */
final class DatasetJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DatasetJson() {
    }

    /** BLIP caption list: {@code [{"image", "caption": "..." | [...]}]}; {@code imageIds} adds "image_id". */
    static ArrayNode captionList(List<String> images, List<List<String>> captions, boolean single,
                                 List<Integer> imageIds) {
        ArrayNode root = F.arrayNode();
        for (int i = 0; i < images.size(); i++) {
            ObjectNode e = root.addObject();
            e.put("image", images.get(i));
            if (single) {
                e.put("caption", captions.get(i).get(0));
            } else {
                ArrayNode caps = e.putArray("caption");
                captions.get(i).forEach(caps::add);
            }
            if (imageIds != null) {
                e.put("image_id", imageIds.get(i));
            }
        }
        return root;
    }

    /** COCO caption ground truth: {@code {"images": [{"id", "file_name"}], "annotations": [...]}}. */
    static ObjectNode cocoCaptions(List<String> images, List<List<String>> captions, List<Integer> imageIds) {
        ObjectNode root = F.objectNode();
        ArrayNode imgs = root.putArray("images");
        ArrayNode anns = root.putArray("annotations");
        int annId = 1;
        for (int i = 0; i < images.size(); i++) {
            imgs.addObject().put("id", imageIds.get(i)).put("file_name", images.get(i));
            for (String c : captions.get(i)) {
                anns.addObject().put("image_id", imageIds.get(i)).put("id", annId++).put("caption", c);
            }
        }
        return root;
    }

    /** {@code {"0": "clean", "1": "junk", ...}}: a label for every web index. */
    static ObjectNode noiseLabels(List<NoiseKind> kinds) {
        ObjectNode root = F.objectNode();
        for (int i = 0; i < kinds.size(); i++) {
            root.put(Integer.toString(i), kinds.get(i).label());
        }
        return root;
    }

    /** Per web text: its clean truth and what was done to it, for analysing what a filter removes. */
    static ArrayNode webMeta(List<String> images, WebSplit web) {
        ArrayNode root = F.arrayNode();
        for (int i = 0; i < web.size(); i++) {
            root.addObject().put("index", i).put("image", images.get(i)).put("text", web.texts().get(i))
                    .put("noise", web.kinds().get(i).label()).put("truth", web.truths().get(i))
                    .put("detail", web.details().get(i));
        }
        return root;
    }

    /** Structured scene of every image, so generated captions or VQA answers can be checked semantically. */
    static ArrayNode scenes(List<String> images, List<Scene> scenes) {
        ArrayNode root = F.arrayNode();
        for (int i = 0; i < images.size(); i++) {
            ObjectNode e = root.addObject();
            e.put("image", images.get(i));
            e.set("scene", scene(scenes.get(i)));
        }
        return root;
    }

    /**
     * The vision split's labels in the format {@code VisionLabels} reads: every object's centre (x, y in units of
     * the image side) with its shape, colour and size, and image-level label sets (shapes, colours, positions,
     * background). An ImageNet of this world: no text, only what is drawn.
     */
    static ArrayNode visionLabels(List<String> images, List<Scene> scenes) {
        ArrayNode root = F.arrayNode();
        for (int i = 0; i < images.size(); i++) {
            Scene s = scenes.get(i);
            ObjectNode e = root.addObject();
            e.put("image", images.get(i));
            ArrayNode objs = e.putArray("objects");
            ObjectNode labels = e.putObject("labels");
            ArrayNode shapes = labels.putArray("shape");
            ArrayNode colours = labels.putArray("colour");
            ArrayNode positions = labels.putArray("position");
            for (SceneObject o : s.objects()) {
                ObjectNode on = objs.addObject().put("x", round3(o.cx())).put("y", round3(o.cy()));
                on.putObject("labels").put("shape", o.shape().word()).put("colour", o.colour().word())
                        .put("size", o.size().word());
                shapes.add(o.shape().word());
                colours.add(o.colour().word());
                positions.add(o.position().word());
            }
            labels.putArray("background").add(s.background().pattern().word());
            labels.putArray("background_colour").add(s.background().colour().word());
        }
        return root;
    }

    static ObjectNode scene(Scene s) {
        ObjectNode n = F.objectNode();
        ArrayNode objs = n.putArray("objects");
        for (SceneObject o : s.objects()) {
            objs.addObject().put("shape", o.shape().word()).put("colour", o.colour().word())
                    .put("size", o.size().word()).put("position", o.position().word())
                    .put("x", round3(o.cx())).put("y", round3(o.cy()));
        }
        if (s.relation() == null) {
            n.putNull("relation");
        } else {
            n.put("relation", s.relation().phrase());
        }
        n.putObject("background").put("pattern", s.background().pattern().word())
                .put("colour", s.background().colour().word());
        return n;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** BLIP's vqa_train.json: {@code [{"question_id", "question", "answer": [...], "image", "dataset": "vqa"}]}. */
    static ArrayNode vqaTrain(List<String> images, List<List<VqaQuestions.Qa>> qas) {
        ArrayNode root = F.arrayNode();
        int id = 1;
        for (int i = 0; i < images.size(); i++) {
            for (VqaQuestions.Qa qa : qas.get(i)) {
                ObjectNode e = root.addObject().put("question_id", id++).put("question", qa.question());
                e.putArray("answer").add(qa.answer());
                e.put("image", images.get(i)).put("dataset", "vqa");
            }
        }
        return root;
    }

    /** Test question id: the image id times 10 plus the question's rank, as VQA v2 derives ids from images. */
    static long vqaTestId(int imageId, int rank) {
        return imageId * 10L + rank;
    }

    /** BLIP's vqa_test.json: {@code [{"question_id", "question", "image"}]}. */
    static ArrayNode vqaTest(List<String> images, List<Integer> imageIds, List<List<VqaQuestions.Qa>> qas) {
        ArrayNode root = F.arrayNode();
        for (int i = 0; i < images.size(); i++) {
            for (int q = 0; q < qas.get(i).size(); q++) {
                root.addObject().put("question_id", vqaTestId(imageIds.get(i), q))
                        .put("question", qas.get(i).get(q).question()).put("image", images.get(i));
            }
        }
        return root;
    }

    /** VQA v2 questions file: {@code {"questions": [{"image_id", "question", "question_id"}]}}. */
    static ObjectNode vqaQuestions(List<Integer> imageIds, List<List<VqaQuestions.Qa>> qas) {
        ObjectNode root = F.objectNode();
        ArrayNode qs = root.putArray("questions");
        for (int i = 0; i < imageIds.size(); i++) {
            for (int q = 0; q < qas.get(i).size(); q++) {
                qs.addObject().put("image_id", imageIds.get(i)).put("question", qas.get(i).get(q).question())
                        .put("question_id", vqaTestId(imageIds.get(i), q));
            }
        }
        return root;
    }

    /**
     * VQA v2 annotations: 10 answers per question, all the true one (the world has no annotator disagreement),
     * so the VQA accuracy of a correct answer is 1.
     */
    static ObjectNode vqaAnnotations(List<Integer> imageIds, List<List<VqaQuestions.Qa>> qas) {
        ObjectNode root = F.objectNode();
        ArrayNode anns = root.putArray("annotations");
        for (int i = 0; i < imageIds.size(); i++) {
            for (int q = 0; q < qas.get(i).size(); q++) {
                VqaQuestions.Qa qa = qas.get(i).get(q);
                ObjectNode a = anns.addObject().put("question_id", vqaTestId(imageIds.get(i), q))
                        .put("image_id", imageIds.get(i)).put("question_type", qa.questionType())
                        .put("answer_type", qa.answerType()).put("multiple_choice_answer", qa.answer());
                ArrayNode answers = a.putArray("answers");
                for (int k = 1; k <= 10; k++) {
                    answers.addObject().put("answer", qa.answer()).put("answer_confidence", "yes").put("answer_id", k);
                }
            }
        }
        return root;
    }

    static ObjectNode object() {
        return F.objectNode();
    }

    static ArrayNode array() {
        return F.arrayNode();
    }

    static void writeCompact(Path file, JsonNode node) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(node);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Indented with "\n" whatever the platform, so the bytes are the same everywhere. */
    static void writePretty(Path file, JsonNode node) throws IOException {
        DefaultIndenter nl = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(nl).withArrayIndenter(nl);
        byte[] bytes = MAPPER.writer(pp).writeValueAsBytes(node);
        AtomicFiles.write(file, out -> {
            out.write(bytes);
            out.write('\n');
        });
    }
}
