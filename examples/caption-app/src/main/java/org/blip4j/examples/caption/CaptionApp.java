package org.blip4j.examples.caption;

import java.nio.file.Path;
import java.util.List;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Blip;
import org.blip4j.task.Caption;
import org.blip4j.task.Captioner;

/**
 * Prints one caption per image: {@code java -jar caption-app.jar [--model M] IMAGE...}. The model defaults to
 * {@code builtin:shapes-captioner} (from blip4j-models); any model blip4j loads works, e.g. a directory holding
 * {@code Salesforce/blip-image-captioning-base}.
 */
public final class CaptionApp {
    private CaptionApp() {
    }

    public static void main(String[] args) throws Exception {
        String model = "builtin:shapes-captioner";
        int first = 0;
        if (args.length >= 2 && args[0].equals("--model")) {
            model = args[1];
            first = 2;
        }
        if (args.length == first) {
            System.err.println("usage: java -jar caption-app.jar [--model M] IMAGE...");
            System.exit(2);
        }
        int failed = 0;
        try (Blip blip = Blip.load(model)) {
            Captioner captioner = new Captioner(blip);   // BLIP's defaults: beam 3, max 20, min 5
            for (int i = first; i < args.length; i++) {
                RgbImage image;
                try {
                    image = ImageLoader.load(Path.of(args[i]));
                } catch (ImageDecodeException e) {
                    System.err.println(e.getMessage());
                    failed++;
                    continue;
                }
                Caption best = captioner.caption(List.of(image)).get(0).get(0);
                System.out.println(args[i] + "\t" + best.text());
            }
        }
        if (failed > 0) {
            System.err.println(failed + " of " + (args.length - first) + " images could not be read");
            System.exit(1);
        }
    }
}
