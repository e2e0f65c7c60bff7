package org.blip4j.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The noisy web split: one text per image, clean or corrupted. {@code truths[i]} is the clean caption the text
 * was derived from (for a mismatched text, the caption image {@code i} would have had).
 */
public record WebSplit(List<Scene> scenes, List<String> texts, List<NoiseKind> kinds, List<String> truths,
                       List<String> details) {
    public WebSplit {
        scenes = List.copyOf(scenes);
        texts = List.copyOf(texts);
        kinds = List.copyOf(kinds);
        truths = List.copyOf(truths);
        details = List.copyOf(details);
    }

    public int size() {
        return scenes.size();
    }

    /**
     * Draws {@code n} scenes from {@code sceneRng}, then corrupts a {@code noise} fraction with {@code noiseRng};
     * separate streams keep the scenes identical whatever the noise level.
     */
    public static WebSplit build(int n, double noise, SplittableRandom sceneRng, SplittableRandom noiseRng) {
        List<Scene> scenes = new ArrayList<>(n);
        List<Integer> templates = new ArrayList<>(n);
        List<String> truths = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Scene s = SceneSampler.sample(sceneRng);
            List<Integer> fit = CaptionTemplates.templatesFor(s);
            int t = fit.get(sceneRng.nextInt(fit.size()));
            scenes.add(s);
            templates.add(t);
            truths.add(CaptionTemplates.render(t, s));
        }
        NoiseKind[] kinds = WebCorrupter.assignKinds(n, noise, noiseRng);
        List<String> texts = new ArrayList<>(truths);
        List<String> details = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            details.add("");
        }
        // Attribute corruptions first: they may switch template, which changes the truth a mismatch could borrow.
        for (int i = 0; i < n; i++) {
            if (kinds[i] == NoiseKind.ATTRIBUTE) {
                WebCorrupter.AttributeCorruption c = WebCorrupter.attribute(scenes.get(i), templates.get(i), noiseRng);
                truths.set(i, CaptionTemplates.render(c.template(), scenes.get(i)));
                texts.set(i, c.text());
                details.set(i, c.detail());
            }
        }
        for (int i = 0; i < n; i++) {
            if (kinds[i] == NoiseKind.MISMATCHED) {
                int j = WebCorrupter.mismatchSource(i, scenes, truths, noiseRng);
                texts.set(i, truths.get(j));
                details.set(i, "caption of web image " + j);
            } else if (kinds[i] == NoiseKind.JUNK) {
                texts.set(i, WebCorrupter.junk(noiseRng));
                details.set(i, "junk");
            }
        }
        return new WebSplit(scenes, texts, List.of(kinds), truths, details);
    }
}
