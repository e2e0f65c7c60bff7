package org.blip4j.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/**
 * Draws a {@link Scene} with Java2D. Pure: the same scene and size always give the same pixels (textures draw
 * their randomness from the background's own seed), so images can be rendered in parallel.
 */
public final class SceneRenderer {
    static {
        // Rendering never needs a display; set before the first AWT class initialises, unless the caller chose.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Grey-level amplitude of the noisy texture; small enough that it never reads as an object colour. */
    private static final int NOISE_AMPLITUDE = 36;

    private SceneRenderer() {
    }

    public static BufferedImage render(Scene scene, int size) {
        if (size < 16) {
            throw new IllegalArgumentException("image size must be at least 16 px, got " + size);
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        paintBackground(scene.background(), size, px);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setStroke(new BasicStroke(1f));
            if (scene.background().pattern() == BackgroundPattern.DOTTED) {
                paintDots(g, scene.background(), size);
            }
            for (SceneObject o : scene.objects()) {
                g.setColor(new Color(o.colour().rgb()));
                g.fill(outline(o, size));
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The object's silhouette in pixel coordinates. */
    public static java.awt.Shape outline(SceneObject o, int size) {
        double cx = o.cx() * size;
        double cy = o.cy() * size;
        double r = o.radius() * size;
        return switch (o.shape()) {
            case CIRCLE -> new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            case SQUARE -> new Rectangle2D.Double(cx - 0.85 * r, cy - 0.85 * r, 1.7 * r, 1.7 * r);
            case TRIANGLE -> polygon(cx, cy + 0.25 * r, r, r, 3); // shifted down: its bounding box is centred
            case STAR -> polygon(cx, cy + 0.05 * r, r, 0.45 * r, 5);
            case RING -> {
                Area a = new Area(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
                double in = 0.5 * r; // thick enough to stay a ring at 64 px
                a.subtract(new Area(new Ellipse2D.Double(cx - in, cy - in, 2 * in, 2 * in)));
                yield a;
            }
            case CROSS -> {
                double w = 0.3 * r;
                Area a = new Area(new Rectangle2D.Double(cx - r, cy - w, 2 * r, 2 * w));
                a.add(new Area(new Rectangle2D.Double(cx - w, cy - r, 2 * w, 2 * r)));
                yield a;
            }
        };
    }

    /** Regular polygon (inner == outer) or star with {@code points} tips, first tip pointing up. */
    private static Path2D polygon(double cx, double cy, double outer, double inner, int points) {
        Path2D.Double p = new Path2D.Double();
        int vertices = inner == outer ? points : 2 * points;
        for (int k = 0; k < vertices; k++) {
            double rad = (inner == outer || k % 2 == 0) ? outer : inner;
            double angle = -Math.PI / 2 + 2 * Math.PI * k / vertices;
            double x = cx + rad * Math.cos(angle);
            double y = cy + rad * Math.sin(angle);
            if (k == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        p.closePath();
        return p;
    }

    private static void paintBackground(Background bg, int size, int[] px) {
        int base = bg.colour().rgb();
        int shade = bg.colour().shade();
        switch (bg.pattern()) {
            case PLAIN, DOTTED -> java.util.Arrays.fill(px, base);
            case STRIPED -> {
                int half = Math.max(2, size / 16); // 8 stripe pairs per image: visible at 64 px
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int t = switch (bg.variant()) {
                            case 0 -> y;
                            case 1 -> x;
                            case 2 -> x + y;
                            default -> x - y + size;
                        };
                        px[y * size + x] = (t / half) % 2 == 0 ? base : shade;
                    }
                }
            }
            case NOISY -> {
                SplittableRandom rng = new SplittableRandom(bg.textureSeed());
                int grey = base & 0xFF;
                for (int i = 0; i < px.length; i++) {
                    int v = clamp(grey + rng.nextInt(-NOISE_AMPLITUDE, NOISE_AMPLITUDE + 1));
                    px[i] = (v << 16) | (v << 8) | v; // grey noise: stays achromatic
                }
            }
            case GRADIENT -> {
                int from = base & 0xFF;
                int to = clamp(from + 2 * ((shade & 0xFF) - from)); // twice the texture contrast: a visible ramp
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double t = switch (bg.variant()) {
                            case 0 -> y;
                            case 1 -> x;
                            case 2 -> size - 1 - y;
                            default -> size - 1 - x;
                        } / (double) (size - 1);
                        int v = (int) Math.round(from + t * (to - from));
                        px[y * size + x] = (v << 16) | (v << 8) | v;
                    }
                }
            }
        }
    }

    private static void paintDots(Graphics2D g, Background bg, int size) {
        double step = size / 8.0;
        double r = Math.max(1.0, size / 40.0);
        SplittableRandom rng = new SplittableRandom(bg.textureSeed());
        double ox = rng.nextDouble(step);
        double oy = rng.nextDouble(step);
        g.setColor(new Color(bg.colour().shade()));
        for (double y = oy - step; y < size + step; y += step) {
            for (double x = ox - step; x < size + step; x += step) {
                g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
