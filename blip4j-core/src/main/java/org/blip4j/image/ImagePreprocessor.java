package org.blip4j.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blip4j.util.JsonLimits;

/**
 * The test-time image transform: resize to a fixed size (aspect ratio not kept, PIL resampling), then
 * ToTensor + Normalize (orig {@code data/__init__.py} {@code create_dataset}, {@code transform_test}). Built from HF
 * {@code preprocessor_config.json} ({@code BlipImageProcessor}) or explicitly; defaults are BLIP's (384x384, bicubic,
 * rescale 1/255, CLIP mean/std).
 */
public final class ImagePreprocessor {
    public static final int BLIP_IMAGE_SIZE = 384;
    public static final String CONFIG_FILE = "preprocessor_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int width;
    private final int height;
    private final ResampleFilter filter;
    private final boolean doResize;
    private final PixelNormalizer normalizer;

    /** Bicubic resize to {@code size x size}, ToTensor, Normalize(mean, std). */
    public ImagePreprocessor(int size, float[] mean, float[] std) {
        this(size, size, ResampleFilter.BICUBIC, true, new PixelNormalizer(mean, std));
    }

    private ImagePreprocessor(int width, int height, ResampleFilter filter, boolean doResize,
                              PixelNormalizer normalizer) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.filter = filter;
        this.doResize = doResize;
        this.normalizer = normalizer;
    }

    /** BLIP's test transform at {@code size} (384 for the released checkpoints) with CLIP statistics. */
    public static ImagePreprocessor blipDefaults(int size) {
        return new ImagePreprocessor(size, PixelNormalizer.CLIP_MEAN, PixelNormalizer.CLIP_STD);
    }

    /** Reads {@code preprocessor_config.json} from a model directory. */
    public static ImagePreprocessor fromModelDir(Path modelDir) {
        return fromConfig(modelDir.resolve(CONFIG_FILE));
    }

    /**
     * Reads an HF {@code BlipImageProcessor} config. Absent fields take HF's defaults (which are BLIP's), because
     * hub configs omit some of them (older ones lack {@code do_convert_rgb}); present but invalid fields are
     * errors naming the file and the field.
     */
    public static ImagePreprocessor fromConfig(Path configFile) {
        JsonNode root;
        try {
            root = JsonLimits.configMapper().readTree(Files.readAllBytes(configFile));
        } catch (IOException e) {
            throw new UncheckedIOException(configFile + ": cannot read image preprocessor config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(configFile + ": image preprocessor config must be a JSON object");
        }
        return new ConfigReader(configFile, root).build();
    }

    /** Resizes (if configured) and normalises to a {@code [3, height, width]} float32 CHW array. */
    public float[] toPixels(RgbImage img) {
        return normalizer.toChw(resize(img));
    }

    /** Loads {@code file} like PIL {@code Image.open(file).convert('RGB')} and applies {@link #toPixels(RgbImage)}. */
    public float[] toPixels(Path file) {
        return toPixels(ImageLoader.load(file));
    }

    /** The resize step alone (returns {@code img} when resizing is off or not needed). */
    public RgbImage resize(RgbImage img) {
        return doResize ? PilResampler.resize(img, width, height, filter) : img;
    }

    /** Output width (when resizing is enabled; otherwise the input image's own width is kept). */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public ResampleFilter filter() {
        return filter;
    }

    public boolean resizes() {
        return doResize;
    }

    /** Field-by-field validation of one config file. */
    private record ConfigReader(Path file, JsonNode root) {
        ImagePreprocessor build() {
            int[] size = size();
            ResampleFilter filter = ResampleFilter.BICUBIC;
            if (root.has("resample")) {
                int code = integer("resample");
                try {
                    filter = ResampleFilter.fromPilCode(code);
                } catch (IllegalArgumentException e) {
                    throw invalid("resample", e.getMessage());
                }
            }
            double factor = root.has("rescale_factor") ? number("rescale_factor") : PixelNormalizer.INV_255;
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw invalid("rescale_factor", "must be a positive number, got " + factor);
            }
            float[] mean = triple("image_mean", PixelNormalizer.CLIP_MEAN);
            float[] std = triple("image_std", PixelNormalizer.CLIP_STD);
            for (float s : std) {
                if (!(s > 0)) {
                    throw invalid("image_std", "values must be positive, got " + s);
                }
            }
            flag("do_convert_rgb"); // validated only: decoded images are always RGB already
            PixelNormalizer normalizer = new PixelNormalizer(flag("do_rescale"), factor, flag("do_normalize"),
                    mean, std);
            return new ImagePreprocessor(size[0], size[1], filter, flag("do_resize"), normalizer);
        }

        /** {@code size} is either an int or {@code {"height": h, "width": w}}; returns {width, height}. */
        private int[] size() {
            JsonNode n = root.get("size");
            if (n == null || n.isNull()) {
                return new int[] {BLIP_IMAGE_SIZE, BLIP_IMAGE_SIZE};
            }
            if (n.isInt()) {
                int s = positive("size", n.intValue());
                return new int[] {s, s};
            }
            if (n.isObject() && n.path("height").isInt() && n.path("width").isInt()) {
                return new int[] {positive("size.width", n.get("width").intValue()),
                        positive("size.height", n.get("height").intValue())};
            }
            throw invalid("size", "expected an integer or {\"height\": int, \"width\": int}, got " + n);
        }

        private int positive(String field, int v) {
            if (v <= 0) {
                throw invalid(field, "must be positive, got " + v);
            }
            return v;
        }

        private boolean flag(String field) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return true; // every BlipImageProcessor step defaults to on
            }
            if (!n.isBoolean()) {
                throw invalid(field, "expected true/false, got " + n);
            }
            return n.booleanValue();
        }

        private int integer(String field) {
            JsonNode n = root.get(field);
            if (!n.isInt()) {
                throw invalid(field, "expected an integer, got " + n);
            }
            return n.intValue();
        }

        private double number(String field) {
            JsonNode n = root.get(field);
            if (!n.isNumber()) {
                throw invalid(field, "expected a number, got " + n);
            }
            return n.doubleValue();
        }

        /** Three per-channel floats; HF also accepts one number for all channels. */
        private float[] triple(String field, float[] dflt) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return dflt.clone();
            }
            if (n.isNumber()) {
                float v = n.floatValue();
                return new float[] {v, v, v};
            }
            if (!n.isArray() || n.size() != 3) {
                throw invalid(field, "expected 3 numbers (R, G, B), got " + n);
            }
            float[] out = new float[3];
            for (int i = 0; i < 3; i++) {
                if (!n.get(i).isNumber()) {
                    throw invalid(field, "expected 3 numbers (R, G, B), got " + n);
                }
                out[i] = n.get(i).floatValue(); // torchvision casts mean/std to the float32 tensor dtype
            }
            return out;
        }

        private IllegalArgumentException invalid(String field, String reason) {
            return new IllegalArgumentException(file + ": invalid field '" + field + "': " + reason);
        }
    }
}
