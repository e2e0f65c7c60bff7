package org.blip4j.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import org.blip4j.capfilt.CapfiltReport;
import org.blip4j.util.AtomicFiles;

/**
 * What one ablation variant measured on one seed ({@code variants/ID/result.json}, its DONE marker): the zero-shot
 * scores of the model pre-trained on its data, and its data's quality where defined (null where not: no filter, no
 * synthetic captions).
 *
 * @param filterPrecision removed web texts that were corrupted; @param filterRecall corrupted web texts removed
 * @param keptWebNoise corrupted share of the web texts trained on
 * @param syntheticNoiseRatio synthetic captions the filter removed (the paper's noise ratio, Tables 2 and 4)
 * @param syntheticPerImage synthetic captions trained on, per web image
 * @param seconds pre-training and evaluation of this variant (the shared stages before it not counted)
 */
public record VariantResult(String variant, long seed, ModelScores scores, Double filterPrecision,
        Double filterRecall, Double keptWebNoise, Double syntheticNoiseRatio, Double syntheticPerImage,
        double seconds) {
    static final String FILE = "result.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The data's quality as a CapFilt run reports it (all texts it kept). */
    record Quality(Double filterPrecision, Double filterRecall, Double keptWebNoise, Double syntheticNoiseRatio,
            Double syntheticPerImage) {
        static final Quality NONE = new Quality(null, null, null, null, null);

        static Quality of(CapfiltReport r) {
            var n = r.noise();
            return new Quality(n == null ? null : finite(n.precision()), n == null ? null : finite(n.recall()),
                    n == null ? null : finite(n.keptNoiseRate()), finite(r.syntheticNoiseRatio()),
                    finite(r.syntheticKeptPerImage()));
        }

        static Double finite(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }

    static VariantResult of(AblationVariant v, long seed, ModelScores scores, Quality q, double seconds) {
        return new VariantResult(v.id, seed, scores, q.filterPrecision(), q.filterRecall(), q.keptWebNoise(),
                q.syntheticNoiseRatio(), q.syntheticPerImage(), seconds);
    }

    void write(Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(this));
    }

    static VariantResult read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), VariantResult.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a variant result (" + e.getMessage() + ")", e);
        }
    }
}
