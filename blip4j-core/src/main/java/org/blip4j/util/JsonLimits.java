package org.blip4j.util;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jackson mappers for JSON read from files blip4j did not write (model configs, tokenizer files, shard indexes,
 * annotation and question files): nesting and string, number and name lengths are bounded, so a hostile file fails
 * with a clear parse error instead of exhausting the stack or the heap. Every reader of such files takes its mapper
 * from here; writers may keep a plain {@link ObjectMapper}.
 */
public final class JsonLimits {
    /** Deepest nesting of objects/arrays; real configs and annotations stay below 10. */
    public static final int MAX_NESTING = 64;
    /** Longest single string value (characters). */
    public static final int MAX_STRING_CHARS = 16 << 20;
    /** Largest config-like document (configs, tokenizer files, indexes, headers): 64 MiB. */
    public static final long MAX_CONFIG_BYTES = 64L << 20;
    /** Largest data document (annotation lists are streamed record by record but still bounded): 16 GiB. */
    public static final long MAX_DATA_BYTES = 16L << 30;

    private static final ObjectMapper CONFIG = mapper(MAX_CONFIG_BYTES, true);
    // data files keep Python's json behaviour for a repeated key (last wins)
    private static final ObjectMapper DATA = mapper(MAX_DATA_BYTES, false);

    private JsonLimits() {
    }

    /** For config-like files: at most {@link #MAX_CONFIG_BYTES}, duplicate keys refused. Shared, thread-safe. */
    public static ObjectMapper configMapper() {
        return CONFIG;
    }

    /** For data files (annotations, questions, records): at most {@link #MAX_DATA_BYTES}. Shared, thread-safe. */
    public static ObjectMapper dataMapper() {
        return DATA;
    }

    /** The constraints of a mapper with a document cap of {@code maxBytes}. */
    public static StreamReadConstraints constraints(long maxBytes) {
        return StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).maxStringLength(MAX_STRING_CHARS)
                .maxNumberLength(1000).maxNameLength(50_000).maxDocumentLength(maxBytes).build();
    }

    private static ObjectMapper mapper(long maxBytes, boolean strictDuplicates) {
        JsonFactory f = JsonFactory.builder().streamReadConstraints(constraints(maxBytes))
                .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, strictDuplicates).build();
        return new ObjectMapper(f);
    }
}
