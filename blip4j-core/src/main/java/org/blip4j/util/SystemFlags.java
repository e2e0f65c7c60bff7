package org.blip4j.util;

/** On/off switches given as {@code -D} system properties, read strictly: a misspelt value is an error, not "off". */
public final class SystemFlags {
    private SystemFlags() {
    }

    /** {@code -Dname=true|false}; {@code whenUnset} when the property is not given. */
    public static boolean bool(String name, boolean whenUnset) {
        String v = System.getProperty(name);
        if (v == null) {
            return whenUnset;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("-D" + name + " must be true or false, not '" + v + "'");
        }
        return v.equals("true");
    }
}
