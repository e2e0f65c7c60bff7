package org.blip4j.capfilt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blip4j.generate.GenerationOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report numbers from hand-made records and noise labels: counts, noise ratio, precision/recall, histograms. */
class CapfiltStatsTest {
    @TempDir
    Path tmp;

    private static CapfiltRecord web(int index, double itm) {
        return new CapfiltRecord("i" + index + ".png", "text " + index, CapfiltRecord.Source.WEB, index, 0, itm, 0.1,
                itm >= 0.5, null);
    }

    private static CapfiltRecord synthetic(int index, double itm) {
        return new CapfiltRecord("i" + index + ".png", "caption " + index, CapfiltRecord.Source.SYNTHETIC, index, 0,
                itm, Double.NaN, itm >= 0.5,
                CapfiltRecord.Decoding.of(GenerationOptions.nucleus(0.9, 20, 5, 0), 1));
    }

    @Test
    void countsNoiseRatioAndFilterQualityAgainstLabels() throws IOException {
        Path labels = tmp.resolve("web_noise.json");
        // 0-5 clean, 6-7 junk, 8 mismatched, 9 attribute, 10 unlabelled
        Files.writeString(labels, "{\"0\":\"clean\",\"1\":\"clean\",\"2\":\"clean\",\"3\":\"clean\",\"4\":\"clean\","
                + "\"5\":\"clean\",\"6\":\"junk\",\"7\":\"junk\",\"8\":\"mismatched\",\"9\":\"attribute\"}");
        CapfiltStats stats = new CapfiltStats(NoiseLabels.read(labels));
        double[] itm = {0.9, 0.8, 0.7, 0.6, 0.55, 0.2, 0.1, 0.04, 0.3, 0.75, 0.99};
        for (int i = 0; i < itm.length; i++) {
            stats.add(web(i, itm[i]));
        }
        for (int i = 0; i < 4; i++) {
            stats.add(synthetic(i, i == 0 ? 0.49 : 0.51));
        }
        stats.add(new CapfiltRecord("h.png", "human", CapfiltRecord.Source.HUMAN, 0, 0, Double.NaN, Double.NaN,
                true, null));
        stats.skipped(new CapfiltStep.Skipped(11, "bad.png", "cannot decode"));
        stats.webRecords(12);
        CapfiltReport r = stats.report();

        assertEquals(11, r.web().total());
        assertEquals(7, r.web().kept());
        assertEquals(4.0 / 11, r.webRemovedFraction(), 1e-12);
        assertEquals(0.25, r.syntheticNoiseRatio(), 1e-12, "1 of 4 synthetic captions filtered out");
        assertEquals(1, r.human());
        assertEquals(1, r.skippedImages());
        assertEquals("bad.png: cannot decode", r.skippedSamples().get(0));
        assertEquals(1, r.webItmHistogram()[19], "0.99 in the last bin");
        assertEquals(1, r.webItmHistogram()[0], "0.04 in the first bin");
        assertEquals(3, r.syntheticItmHistogram()[10]);
        assertEquals(5, r.removedSamples().size(), "4 web + 1 synthetic");

        CapfiltReport.NoiseMetrics n = r.noise();
        // removed: 5 (clean, FP), 6, 7, 8 (corrupted, TP); kept corrupted: 9 (FN)
        assertEquals(0.75, n.precision(), 1e-12);
        assertEquals(0.75, n.recall(), 1e-12);
        assertEquals(0.4, n.inputNoiseRate(), 1e-12);
        assertEquals(1.0 / 6, n.keptNoiseRate(), 1e-12);
        assertEquals(1.0 / 6, n.removedByKind().get("clean"), 1e-12);
        assertEquals(1.0, n.removedByKind().get("junk"));
        assertEquals(1.0, n.removedByKind().get("mismatched"));
        assertEquals(0.0, n.removedByKind().get("attribute"));
        assertEquals(1, n.unlabelled());

        String md = ReportWriter.markdown(r, CapfiltOptions.defaults(), "itm_histogram.png");
        assertTrue(md.contains("**25.0%**"), md);
        assertTrue(md.contains("precision of removal (removed texts that were corrupted): 75.0%"), md);
        assertTrue(md.contains("input 40.0% -> kept 16.7%"), md);
        assertTrue(md.contains("| web | 11 | 7 | 4 | 36.4 |"), md);
    }

    @Test
    void withoutLabelsThereAreNoNoiseMetrics() {
        CapfiltStats stats = new CapfiltStats(null);
        stats.add(web(0, 0.9));
        assertNull(stats.report().noise());
        assertTrue(Double.isNaN(stats.report().syntheticNoiseRatio()), "no synthetic texts: undefined");
    }

    @Test
    void anyLabelOtherThanCleanCountsAsNoise() throws IOException {
        Path f = tmp.resolve("labels.json");
        Files.writeString(f, "{\"0\": \"spam\", \"1\": \"clean\", \"2\": \"off-topic\", \"3\": \"spam\"}");
        CapfiltStats stats = new CapfiltStats(NoiseLabels.read(f));
        double[] itm = {0.1, 0.9, 0.8, 0.2};
        for (int i = 0; i < itm.length; i++) {
            stats.add(web(i, itm[i]));
        }
        CapfiltReport.NoiseMetrics n = stats.report().noise();
        assertEquals(java.util.List.of("clean", "spam", "off-topic"),
                java.util.List.copyOf(n.removedByKind().keySet()));
        assertEquals(1.0, n.removedByKind().get("spam"));
        assertEquals(0.0, n.removedByKind().get("off-topic"));
        assertEquals(1.0, n.precision(), 1e-12);
        assertEquals(2.0 / 3, n.recall(), 1e-12);
        assertEquals(1.0, n.cleanKeptFraction(), 1e-12);
    }

    @Test
    void badLabelFilesNameTheProblem() throws IOException {
        Path f = tmp.resolve("noise.json");
        Files.writeString(f, "{\"0\": 3}");
        var e = assertThrows(IOException.class, () -> NoiseLabels.read(f));
        assertTrue(e.getMessage().contains("noise.json") && e.getMessage().contains("\"0\""), e.getMessage());
        Files.writeString(f, "{\"0\": \" \"}");
        e = assertThrows(IOException.class, () -> NoiseLabels.read(f));
        assertTrue(e.getMessage().contains("non-empty string"), e.getMessage());
        Files.writeString(f, "{\"x\": \"clean\"}");
        e = assertThrows(IOException.class, () -> NoiseLabels.read(f));
        assertTrue(e.getMessage().contains("\"x\""), e.getMessage());
    }
}
