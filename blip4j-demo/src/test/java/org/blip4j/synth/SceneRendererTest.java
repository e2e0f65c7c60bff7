package org.blip4j.synth;

import org.junit.jupiter.api.Test;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneRendererTest {
    @Test
    void theNamedColourIsWhatIsDrawnAtEachObjectsInterior() {
        for (int size : new int[] {64, 96}) {
            for (Scene s : CaptionTemplatesTest.randomScenes(11, 60)) {
                BufferedImage img = SceneRenderer.render(s, size);
                assertEquals(size, img.getWidth());
                assertEquals(size, img.getHeight());
                for (SceneObject o : s.objects()) {
                    int x = (int) Math.floor((o.cx() + o.shape().interiorDx() * o.radius()) * size);
                    int y = (int) Math.floor((o.cy() + o.shape().interiorDy() * o.radius()) * size);
                    int votes = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            votes += nearest(img.getRGB(x + dx, y + dy)) == o.colour().rgb() ? 1 : 0;
                        }
                    }
                    assertTrue(votes >= 7, o + " at " + size + " px: " + votes + "/9 pixels are " + o.colour());
                }
            }
        }
    }

    @Test
    void everyPixelFullyInsideAnObjectHasItsColour() {
        int size = 96;
        for (Scene s : CaptionTemplatesTest.randomScenes(12, 40)) {
            BufferedImage img = SceneRenderer.render(s, size);
            for (SceneObject o : s.objects()) {
                java.awt.Shape outline = SceneRenderer.outline(o, size);
                // Pixels at least half a pixel inside: curves are flattened when drawn, so the very edge may blend.
                int inside = 0;
                java.awt.Rectangle box = outline.getBounds();
                for (int y = box.y; y < box.y + box.height; y++) {
                    for (int x = box.x; x < box.x + box.width; x++) {
                        if (outline.contains(new Rectangle2D.Double(x - 0.5, y - 0.5, 2, 2))) {
                            inside++;
                            assertTrue(close(o.colour().rgb(), img.getRGB(x, y)), o + " at " + x + "," + y);
                        }
                    }
                }
                assertTrue(inside >= 20, "object is visible: " + inside + " px " + o);
            }
        }
    }

    @Test
    void objectsStayInFrameAndNeverOverlap() {
        for (Scene s : CaptionTemplatesTest.randomScenes(13, 500)) {
            List<Rectangle2D> boxes = new ArrayList<>();
            for (SceneObject o : s.objects()) {
                Rectangle2D b = SceneRenderer.outline(o, 1000).getBounds2D();
                assertTrue(new Rectangle2D.Double(0, 0, 1000, 1000).contains(b), "in frame: " + o);
                for (Rectangle2D other : boxes) {
                    assertFalse(b.intersects(other), "overlap in " + s);
                }
                boxes.add(b);
            }
        }
    }

    @Test
    void renderingIsAPureFunctionOfTheScene() {
        for (Scene s : CaptionTemplatesTest.randomScenes(14, 10)) {
            assertArrayEquals(rgb(SceneRenderer.render(s, 64)), rgb(SceneRenderer.render(s, 64)));
        }
    }

    /** Equal up to antialiasing round-off (one or two levels per channel). */
    private static boolean close(int rgb, int argb) {
        for (int sh = 0; sh <= 16; sh += 8) {
            if (Math.abs(((rgb >> sh) & 0xFF) - ((argb >> sh) & 0xFF)) > 2) {
                return false;
            }
        }
        return true;
    }

    /** Nearest palette entry (object colours, background colours and their shades) by squared RGB distance. */
    private static int nearest(int argb) {
        List<Integer> palette = new ArrayList<>();
        for (Colour c : Colour.values()) {
            palette.add(c.rgb());
        }
        for (BackgroundColour c : BackgroundColour.values()) {
            palette.add(c.rgb());
            palette.add(c.shade());
        }
        int best = 0;
        long bestD = Long.MAX_VALUE;
        for (int p : palette) {
            long d = 0;
            for (int sh = 0; sh <= 16; sh += 8) {
                int diff = ((argb >> sh) & 0xFF) - ((p >> sh) & 0xFF);
                d += (long) diff * diff;
            }
            if (d < bestD) {
                bestD = d;
                best = p;
            }
        }
        return best;
    }

    private static int[] rgb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
