package org.blip4j.capfilt;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a {@link CapfiltRecord}: BLIP's {@code {"image", "caption"}} plus provenance, scores and, for
 * synthetic texts, the decoding options. Part files add {@code kept}; the bootstrapped dataset holds kept texts
 * only and leaves it out. Scores that do not exist (human pairs, no ITC projections) are null.
 */
final class CapfiltRecordJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CapfiltRecordJson() {
    }

    static void write(JsonGenerator g, CapfiltRecord r, boolean withKept) throws IOException {
        g.writeStartObject();
        g.writeStringField("image", r.image());
        g.writeStringField("caption", r.caption());
        g.writeStringField("source", r.source().label());
        g.writeNumberField("source_index", r.sourceIndex());
        g.writeNumberField("text_index", r.textIndex());
        if (r.origin() != null) {
            g.writeStringField("shard", r.origin().shard());
            g.writeStringField("key", r.origin().key());
        }
        number(g, "itm", r.itm());
        number(g, "itc", r.itc());
        if (withKept) {
            g.writeBooleanField("kept", r.kept());
        }
        CapfiltRecord.Decoding d = r.decoding();
        if (d != null) {
            g.writeStringField("strategy", d.strategy());
            g.writeNumberField("top_p", d.topP());
            g.writeNumberField("top_k", d.topK());
            g.writeNumberField("repetition_penalty", d.repetitionPenalty());
            g.writeNumberField("seed", d.seed());
            g.writeNumberField("sample_seed", d.sampleSeed());
            g.writeNumberField("max_length", d.maxLength());
            g.writeNumberField("min_length", d.minLength());
            g.writeNumberField("num_beams", d.numBeams());
            g.writeNumberField("captioner", d.captioner());
            g.writeNumberField("candidate", d.candidate());
            if (d.sampled()) {
                g.writeNumberField("candidate_seed", d.candidateSeed());
            }
        }
        if (r.origin() != null && r.origin().metadata() != null) {
            g.writeFieldName("metadata");
            MAPPER.writeTree(g, r.origin().metadata());
        }
        g.writeEndObject();
    }

    /** The record's fields as a map (webdataset {@code KEY.json}). */
    static Map<String, Object> toMap(CapfiltRecord r) throws IOException {
        TokenBuffer buffer = new TokenBuffer(MAPPER, false);
        write(buffer, r, false);
        return MAPPER.readValue(buffer.asParser(MAPPER), new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    /** Reads a record written with {@code withKept}; {@code where} names the file and line in errors. */
    static CapfiltRecord read(JsonNode n, String where) throws IOException {
        try {
            CapfiltRecord.Source source = CapfiltRecord.Source.of(required(n, "source", where).asText());
            CapfiltRecord.Decoding d = null;
            if (source == CapfiltRecord.Source.SYNTHETIC) {
                d = new CapfiltRecord.Decoding(required(n, "strategy", where).asText(),
                        required(n, "top_p", where).asDouble(), required(n, "top_k", where).asInt(),
                        required(n, "repetition_penalty", where).asDouble(), required(n, "seed", where).asLong(),
                        required(n, "sample_seed", where).asLong(), required(n, "max_length", where).asInt(),
                        required(n, "min_length", where).asInt(), required(n, "num_beams", where).asInt(),
                        required(n, "captioner", where).asInt(), required(n, "candidate", where).asInt());
            }
            ShardOrigin origin = null;
            if (n.has("shard")) {
                JsonNode meta = n.get("metadata");
                origin = new ShardOrigin(n.get("shard").asText(), required(n, "key", where).asText(),
                        meta instanceof ObjectNode o ? o : null);
            }
            return new CapfiltRecord(required(n, "image", where).asText(), required(n, "caption", where).asText(),
                    source, required(n, "source_index", where).asInt(), required(n, "text_index", where).asInt(),
                    score(n.get("itm")), score(n.get("itc")), n.path("kept").asBoolean(true), d, origin);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode n, String field, String where) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IOException(where + ": missing field \"" + field + "\"");
        }
        return v;
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, v);
        }
    }

    private static double score(JsonNode v) {
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }
}
