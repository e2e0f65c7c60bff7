package org.blip4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shell-style brace expansion for shard patterns, as webdataset's {@code braceexpand} does it:
 * {@code shard-{00000..00002}.tar} gives three zero-padded names, {@code {a,b}} gives alternatives, several
 * groups multiply out left to right. Nested braces are rejected rather than guessed at.
 */
public final class BraceExpansion {
    private static final Pattern RANGE = Pattern.compile("(-?\\d+)\\.\\.(-?\\d+)");

    private BraceExpansion() {
    }

    public static List<String> expand(String pattern) {
        List<String> out = new ArrayList<>();
        expandInto("", pattern, pattern, out);
        return out;
    }

    private static void expandInto(String prefix, String rest, String pattern, List<String> out) {
        int open = rest.indexOf('{');
        int strayClose = rest.indexOf('}');
        if (open < 0) {
            if (strayClose >= 0) {
                throw new IllegalArgumentException("unbalanced '}' in pattern \"" + pattern + "\"");
            }
            out.add(prefix + rest);
            return;
        }
        int close = rest.indexOf('}', open);
        if (strayClose >= 0 && strayClose < open) {
            throw new IllegalArgumentException("unbalanced '}' in pattern \"" + pattern + "\"");
        }
        if (close < 0) {
            throw new IllegalArgumentException("unbalanced '{' in pattern \"" + pattern + "\"");
        }
        String body = rest.substring(open + 1, close);
        if (body.indexOf('{') >= 0) {
            throw new IllegalArgumentException("nested braces are not supported in pattern \"" + pattern + "\"");
        }
        String head = prefix + rest.substring(0, open);
        String tail = rest.substring(close + 1);
        for (String alt : alternatives(body)) {
            expandInto(head + alt, tail, pattern, out);
        }
    }

    private static List<String> alternatives(String body) {
        Matcher m = RANGE.matcher(body);
        if (m.matches()) {
            return range(m.group(1), m.group(2));
        }
        if (body.indexOf(',') >= 0) {
            return List.of(body.split(",", -1));
        }
        return List.of("{" + body + "}"); // like bash: a group without ',' or '..' stays literal
    }

    private static List<String> range(String from, String to) {
        long a = Long.parseLong(from);
        long b = Long.parseLong(to);
        // Zero padding is requested by a leading zero on either bound ("00000"); width = the longer bound.
        boolean padded = hasLeadingZero(from) || hasLeadingZero(to);
        int width = padded ? Math.max(digits(from), digits(to)) : 0;
        if (Math.abs(b - a) > 10_000_000) {
            throw new IllegalArgumentException("range {" + from + ".." + to + "} is too large");
        }
        List<String> out = new ArrayList<>();
        long step = a <= b ? 1 : -1;
        for (long v = a; ; v += step) {
            String s = Long.toString(Math.abs(v));
            s = "0".repeat(Math.max(0, width - s.length())) + s;
            out.add(v < 0 ? "-" + s : s);
            if (v == b) {
                break;
            }
        }
        return out;
    }

    private static boolean hasLeadingZero(String n) {
        String d = n.startsWith("-") ? n.substring(1) : n;
        return d.length() > 1 && d.charAt(0) == '0';
    }

    private static int digits(String n) {
        return n.startsWith("-") ? n.length() - 1 : n.length();
    }
}
