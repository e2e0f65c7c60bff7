package org.blip4j.synth;

import java.util.Arrays;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The words captions may use, kept small (about 50) so a tiny model can learn the language. Attribute words
 * come from the enums; the rest are the templates' glue words. Junk web texts draw on a separate vocabulary.
 */
public final class Vocabulary {
    /** Words of the {@link CaptionTemplates} templates besides attribute and background words. */
    static final String GLUE = "a an the there is and on at in of to with next between above below "
            + "left right top bottom center background two three shapes picture image";

    /** Boilerplate words of junk alt-texts; disjoint in spirit from the scene vocabulary (some overlap like "on"). */
    static final String JUNK = "click here to buy now free shipping on all orders best price sale online shop "
            + "new hot deal cheap in stock photo download wallpaper hd stock royalty vector logo banner "
            + "copyright reserved rights home page";

    private static final SortedSet<String> CAPTION_WORDS = build();
    private static final SortedSet<String> JUNK_WORDS =
            Collections.unmodifiableSortedSet(new TreeSet<>(Arrays.asList(JUNK.split(" "))));

    private Vocabulary() {
    }

    /** Every word a clean (or attribute-corrupted) caption can contain, sorted. */
    public static SortedSet<String> captionWords() {
        return CAPTION_WORDS;
    }

    /** Words junk texts draw from (besides file-name tokens such as {@code img_2041.jpg}). */
    public static SortedSet<String> junkWords() {
        return JUNK_WORDS;
    }

    private static SortedSet<String> build() {
        TreeSet<String> w = new TreeSet<>(Arrays.asList(GLUE.split(" ")));
        for (Shape s : Shape.values()) {
            w.add(s.word());
        }
        for (Colour c : Colour.values()) {
            w.add(c.word());
        }
        for (Size s : Size.values()) {
            w.add(s.word());
        }
        for (BackgroundPattern p : BackgroundPattern.values()) {
            w.add(p.word());
        }
        for (BackgroundColour c : BackgroundColour.values()) {
            w.add(c.word());
        }
        return Collections.unmodifiableSortedSet(w);
    }
}
