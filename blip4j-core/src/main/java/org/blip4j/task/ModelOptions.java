package org.blip4j.task;

import java.nio.file.Path;

/**
 * How to find and convert a model: for an original {@code .pth} the same hints as {@code blip convert}
 * (med_config, head counts, tokenizer directory); {@code device} is cpu or gpu[:N].
 */
public record ModelOptions(String device, Path tokenizerDir, Path medConfig, Integer visionHeads, Integer textHeads) {
    public static ModelOptions defaults() {
        return new ModelOptions("cpu", null, null, null, null);
    }

    /** The same options on another device ({@code cpu}, {@code gpu} or {@code gpu:N}). */
    public ModelOptions withDevice(String d) {
        return new ModelOptions(d, tokenizerDir, medConfig, visionHeads, textHeads);
    }
}
