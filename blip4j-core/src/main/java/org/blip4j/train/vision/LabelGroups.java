package org.blip4j.train.vision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named label groups (e.g. shape, colour) with their classes in a fixed order; a head predicts all groups as one
 * logit vector, group after group, so each group owns a column range.
 */
public record LabelGroups(Map<String, List<String>> classes) {
    public LabelGroups {
        classes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(classes));
    }

    /** Total number of classes over all groups (the head's output width). */
    public int width() {
        return classes.values().stream().mapToInt(List::size).sum();
    }

    public List<String> names() {
        return new ArrayList<>(classes.keySet());
    }

    /** First logit column of {@code group}. */
    public int offset(String group) {
        int o = 0;
        for (Map.Entry<String, List<String>> e : classes.entrySet()) {
            if (e.getKey().equals(group)) {
                return o;
            }
            o += e.getValue().size();
        }
        throw new IllegalArgumentException("no label group '" + group + "'");
    }

    public int size(String group) {
        return classes.get(group).size();
    }

    /** Column of {@code value} inside its group, or -1 when the group has no such class. */
    public int index(String group, String value) {
        List<String> c = classes.get(group);
        return c == null ? -1 : c.indexOf(value);
    }

    public boolean isEmpty() {
        return classes.isEmpty();
    }
}
