package org.blip4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** VQA v2 ground truth: {@code {"annotations": [{"question_id", "answer_type", "question_type", "answers"}]}}. */
public final class VqaAnnotations {
    /**
     * One human answer. {@code otherFields} is the rest of its JSON object (answer_id, answer_confidence, ...):
     * the official code decides which answers are "the others" by comparing whole answer dicts.
     */
    public record GtAnswer(String answer, String otherFields) {
        /** An answer distinguished by its answer_id, as in the VQA files. */
        public static GtAnswer of(String answer, int answerId) {
            return new GtAnswer(answer, "{\"answer_id\":" + answerId + "}");
        }
    }

    /** One question's annotation: its id, question and answer types, and the human answers. */
    public record Question(long questionId, String questionType, String answerType, List<GtAnswer> answers) {
        public Question {
            answers = List.copyOf(answers);
        }
    }

    private final List<Question> questions;
    private final String source;

    private VqaAnnotations(List<Question> questions, String source) {
        this.questions = questions;
        this.source = source;
    }

    /** Questions in evaluation order; duplicate question ids are rejected. */
    public static VqaAnnotations of(List<Question> questions, String source) {
        Set<Long> seen = new HashSet<>();
        for (Question q : questions) {
            if (!seen.add(q.questionId())) {
                throw new IllegalArgumentException(source + ": duplicate question_id " + q.questionId());
            }
        }
        return new VqaAnnotations(List.copyOf(questions), source);
    }

    public static VqaAnnotations read(Path file) {
        return fromJson(JsonFields.read(file), file.toString());
    }

    /** Parses an annotation file's root object; {@code source} names it in errors. */
    public static VqaAnnotations fromJson(JsonNode root, String source) {
        JsonNode anns = JsonFields.array(root, "annotations", source);
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < anns.size(); i++) {
            String where = source + " annotations[" + i + "]";
            JsonNode ann = anns.get(i);
            JsonNode answersNode = JsonFields.array(ann, "answers", where);
            if (answersNode.isEmpty()) {
                throw new IllegalArgumentException(where + ": field \"answers\" is empty");
            }
            List<GtAnswer> answers = new ArrayList<>();
            for (int a = 0; a < answersNode.size(); a++) {
                JsonNode ansNode = answersNode.get(a);
                String answer = JsonFields.text(ansNode, "answer", where + ".answers[" + a + "]");
                ObjectNode rest = ansNode.deepCopy();
                rest.remove("answer");
                answers.add(new GtAnswer(answer, rest.toString()));
            }
            questions.add(new Question(JsonFields.id(ann, "question_id", where),
                    JsonFields.text(ann, "question_type", where), JsonFields.text(ann, "answer_type", where), answers));
        }
        return of(questions, source);
    }

    public List<Question> questions() {
        return questions;
    }

    public String source() {
        return source;
    }
}
