package org.blip4j.train.nlvr;

/**
 * The NLVR2 dataset's augmentation (orig {@code data/nlvr_dataset.py} {@code __getitem__}): with probability 0.5 the
 * two images are exchanged, and then the words {@code left} and {@code right} of the (pre_caption'd) sentence are
 * exchanged too, so the label stays true. Words are split on single spaces: "left," is not exchanged.
 */
public final class NlvrSwap {
    private NlvrSwap() {
    }

    public static String exchangeLeftRight(String sentence) {
        String[] words = sentence.split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("left")) {
                words[i] = "right";
            } else if (words[i].equals("right")) {
                words[i] = "left";
            }
        }
        return String.join(" ", words);
    }
}
