package org.blip4j.train.nlvr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.blip4j.task.Nlvr;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;

/** The dataset's left/right exchange gives the swapped sentences of tiny-a-nlvr's goldens. */
class NlvrSwapTest {
    @Test
    void swappedSentencesEqualTheOfficialDataset() throws Exception {
        JsonNode g = new ObjectMapper().readTree(Fixtures.tinyANlvr().resolve("golden.json").toFile());
        for (int i = 0; i < 4; i++) {
            String pre = Nlvr.sentence(g.path("examples").get(i).path("sentence_raw").asText(), true);
            assertEquals(g.path("swap_examples").get(i).path("sentence").asText(), NlvrSwap.exchangeLeftRight(pre));
        }
        assertEquals("left, right", NlvrSwap.exchangeLeftRight("left, left"), "only whole space-separated words");
    }
}
