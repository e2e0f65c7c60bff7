package org.blip4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;

/** Orig BLIP pre_caption / pre_question, expected values worked out from the Python source. */
class TextNormalizerTest {
    @Test
    void preCaptionReplacesPunctuationBySpaceAndCollapsesRuns() {
        assertEquals("a dog, sitting on the grass photo",
                TextNormalizer.preCaption("A Dog, sitting on the grass!!  (Photo)\n", 30));
        assertEquals("a cat", TextNormalizer.preCaption("a cat\n", 30));
        assertEquals("a cat", TextNormalizer.preCaption("  a cat. ", 30));
        assertEquals("it's a man's hat-trick", TextNormalizer.preCaption("It's a man's hat-trick", 30));
        assertEquals("a b c d e f g h i j", TextNormalizer.preCaption("a:b;c~d*e#f\"g.h!i(j)", 30));
    }

    @Test
    void preCaptionWhitespaceIsPythonUnicodeWhitespace() {
        assertEquals("a\tb", TextNormalizer.preCaption("a\tb", 30)); // a single whitespace char is kept
        assertEquals("a b", TextNormalizer.preCaption("a\t\tb", 30));
        assertEquals("a b", TextNormalizer.preCaption("a\u00a0\u3000b", 30)); // Python \s matches these
    }

    @Test
    void lowerCasingFollowsPythonFinalSigma() {
        assertEquals("οδος", TextNormalizer.preCaption("ΟΔΟΣ", 30));
        assertEquals("ας b", TextNormalizer.preCaption("ΑΣ. b", 30)); // '.' is case-ignorable: still final
        assertEquals("ασ ο", TextNormalizer.preCaption("ΑΣ:Ο", 30)); // Java's toLowerCase would give ς here
    }

    @Test
    void preCaptionKeepsFirstWords() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 35; i++) {
            sb.append("w").append(i).append(' ');
        }
        String out = TextNormalizer.preCaption(sb.toString(), 30);
        assertEquals(30, out.split(" ").length);
        assertEquals("w29", out.substring(out.lastIndexOf(' ') + 1));
    }

    @Test
    void preQuestionDeletesPunctuationAndStripsTrailingSpaces() {
        assertEquals("what is this?", TextNormalizer.preQuestion("What is this?  ", 50));
        assertEquals("  is it red", TextNormalizer.preQuestion("  Is it (red).", 50)); // only the right side
        assertEquals("a ", TextNormalizer.preQuestion("a  b c", 2)); // Python split(' ') keeps empty words
    }

    @Test
    void preQuestionMatchesVqaFixture() throws IOException {
        JsonNode golden = Goldens.json(Fixtures.tinyAVqa());
        for (JsonNode q : golden.get("questions")) {
            assertEquals(q.get("dataset_pre_question_form_not_used").asText(),
                    TextNormalizer.preQuestion(q.get("text").asText(), 50));
        }
    }
}
