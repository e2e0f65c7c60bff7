package org.blip4j.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The special-token strings of a tokenizer by role (HF {@code special_tokens_map.json}). {@code bos} and
 * {@code eos} may be null: hub BERT tokenizers have neither.
 */
public record SpecialTokenNames(String unk, String sep, String pad, String cls, String mask, String bos, String eos,
                                List<String> additional) {
    public SpecialTokenNames {
        Objects.requireNonNull(unk, "unk");
        Objects.requireNonNull(sep, "sep");
        Objects.requireNonNull(pad, "pad");
        Objects.requireNonNull(cls, "cls");
        Objects.requireNonNull(mask, "mask");
        additional = List.copyOf(additional);
    }

    /** The bert-base-uncased defaults. */
    public static SpecialTokenNames bertDefaults() {
        return new SpecialTokenNames("[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]", null, null, List.of());
    }

    /** HF {@code all_special_tokens}: every role's string, without duplicates, in role order. */
    public Set<String> all() {
        Set<String> all = new LinkedHashSet<>();
        for (String s : new String[] {bos, eos, unk, sep, pad, cls, mask}) {
            if (s != null) {
                all.add(s);
            }
        }
        all.addAll(additional);
        return all;
    }

    public SpecialTokenNames withAdditional(List<String> more) {
        List<String> merged = new ArrayList<>(additional);
        for (String s : more) {
            if (!merged.contains(s)) {
                merged.add(s);
            }
        }
        return new SpecialTokenNames(unk, sep, pad, cls, mask, bos, eos, merged);
    }
}
