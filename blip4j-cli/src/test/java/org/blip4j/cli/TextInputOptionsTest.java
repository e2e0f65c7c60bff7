package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * itm and vqa feed text as given by default, as BLIP_ITM.forward, BLIP_VQA.forward and HF's processors do; the
 * normalised forms are asked for, and a VQA question file (a dataset) is normalised as BLIP's vqa_dataset does.
 */
class TextInputOptionsTest {
    private static VqaCommand vqa(String... args) {
        VqaCommand c = new VqaCommand();
        new CommandLine(c).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args); // as Main sets it up
        return c;
    }

    @Test
    void vqaQuestionsAreRawUnlessAFileOrAsked() {
        assertFalse(vqa("--model", "m").options(false).preQuestion(), "a typed question is fed as given");
        assertTrue(vqa("--model", "m").options(true).preQuestion(), "a question file is a dataset");
        assertTrue(vqa("--model", "m", "--pre-question").options(false).preQuestion());
        assertFalse(vqa("--model", "m", "--raw-question").options(true).preQuestion());
    }

    @Test
    void contradictoryFlagsAreRefused() {
        var itm = CliRunner.run("itm", "--model", "m", "--image", "none.png", "--text", "t", "--raw-text",
                "--pre-caption");
        assertNotEquals(0, itm.exit());
        assertTrue(itm.err().contains("--raw-text and --pre-caption exclude each other"), itm.err());
        var v = CliRunner.run("vqa", "--model", "m", "--image", "none.png", "--question", "q", "--raw-question",
                "--pre-question");
        assertEquals(2, v.exit(), v.err());
        assertTrue(v.err().contains("exclude each other"), v.err());
    }
}
