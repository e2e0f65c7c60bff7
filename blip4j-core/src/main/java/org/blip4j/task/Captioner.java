package org.blip4j.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.generate.DecoderStepProvider;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.generate.Generator;
import org.blip4j.generate.Hypothesis;
import org.blip4j.generate.NucleusSampler;
import org.blip4j.image.RgbImage;
import org.blip4j.model.Part;
import org.blip4j.nn.Scoped;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.CaptionPrompt;

/**
 * Image captioning with the image-grounded decoder (orig {@code BLIP_Decoder.generate}, {@code models/blip.py}):
 * greedy, beam search or nucleus sampling, batches of images decoded together, each sequence finishing on its own.
 */
public final class Captioner {
    private final Blip blip;
    private final CaptionOptions options;
    private final long[] prompt;
    private final CaptionPrompt stripper;

    /**
     * A captioner over {@code blip}. It holds only read-only state: one instance may serve many threads at once, each
     * getting the captions a single thread would (sampling seeds are per image, not shared).
     */
    public Captioner(Blip blip, CaptionOptions options) {
        this.blip = blip;
        this.options = options;
        BlipTokenizer tok = blip.tokenizer();
        this.prompt = options.prompt().isEmpty() ? new long[] {tok.specialTokens().bos()}
                : tok.decoderPrompt(options.prompt());
        this.stripper = new CaptionPrompt(options.prompt());
        blip.model().require(Part.TEXT_DECODER, "captioning");
    }

    /** A captioner with BLIP's defaults ({@link CaptionOptions#defaults()}); thread-safe like the other. */
    public Captioner(Blip blip) {
        this(blip, CaptionOptions.defaults());
    }

    public CaptionOptions options() {
        return options;
    }

    /** Captions per image (best first; several with num_return_sequences). */
    public List<List<Caption>> caption(List<RgbImage> images) {
        long[] seeds = new long[images.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = NucleusSampler.rowSeed(options.generation().seed(), i);
        }
        return caption(images, seeds);
    }

    /**
     * @param imageSeeds one sampling seed per image (e.g. derived from the run seed and the image's key), so a
     *     sample does not depend on batch composition
     */
    public List<List<Caption>> caption(List<RgbImage> images, long[] imageSeeds) {
        if (imageSeeds.length != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + imageSeeds.length + " seeds");
        }
        List<List<Caption>> out = new ArrayList<>();
        int batch = options.batchSize();
        for (int i = 0; i < images.size(); i += batch) {
            int end = Math.min(images.size(), i + batch);
            out.addAll(captionBatch(images.subList(i, end), java.util.Arrays.copyOfRange(imageSeeds, i, end)));
        }
        return out;
    }

    /**
     * Captions of a video: the decoder cross-attends to all sampled frames' tokens concatenated (the paper's
     * zero-shot transfer to video), with this captioner's options.
     */
    public List<Caption> captionVideo(List<RgbImage> frames) {
        long[] seed = {NucleusSampler.rowSeed(options.generation().seed(), 0)};
        return generate(m -> blip.videoTokens(frames, m), 1, seed).get(0);
    }

    private List<List<Caption>> captionBatch(List<RgbImage> images, long[] imageSeeds) {
        return generate(m -> blip.model().imageEmbeds(blip.pixels(images, m), false), images.size(), imageSeeds);
    }

    /** Generation over the encoder states {@code states} builds, one input per row of them. */
    private List<List<Caption>> generate(java.util.function.Function<NDManager, NDArray> states, int inputs,
            long[] imageSeeds) {
        GenerationOptions g = options.generation();
        int rows = g.rowsPerInput();
        long[] rowSeeds = new long[inputs * rows];
        for (int b = 0; b < inputs; b++) {
            for (int j = 0; j < rows; j++) {
                rowSeeds[b * rows + j] = NucleusSampler.rowSeed(imageSeeds[b], j);
            }
        }
        int eos = blip.tokenizer().specialTokens().sep();
        int pad = blip.tokenizer().specialTokens().pad();
        List<List<Hypothesis>> hyps = Scoped.inSubManager(blip.manager(), m -> {
            try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(blip.model(), states.apply(m),
                    null, rows, options.cacheCrossAttention())) {
                return Generator.generate(step, prompt, inputs, eos, pad, g, rowSeeds);
            }
        });
        List<List<Caption>> out = new ArrayList<>();
        for (List<Hypothesis> perImage : hyps) {
            List<Caption> caps = new ArrayList<>();
            for (Hypothesis h : perImage) {
                caps.add(new Caption(stripper.strip(blip.tokenizer().decode(h.tokens())), h.score(), h.tokens()));
            }
            out.add(caps);
        }
        return out;
    }
}
