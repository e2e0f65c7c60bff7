package org.blip4j.data;

import java.util.List;

/**
 * One batch of loader output, as plain arrays for the trainer to turn into tensors. Arrays are owned by the
 * batch (not reused), compare them with {@code Arrays.equals}.
 *
 * @param epoch    epoch the batch belongs to
 * @param index    batch index within the epoch
 * @param pixels   {@code size() * floatsPerSample()} floats, samples back to back (B·3·S·S for CHW images)
 * @param captions one caption per sample ({@code ""} for a sample without captions)
 * @param imageIds one image id per sample, {@link Sample#NO_IMAGE_ID} where absent
 * @param keys     the samples' {@link Sample#key()}s
 * @param next     where to resume after this batch
 */
public record Batch(int epoch, int index, float[] pixels, List<String> captions, long[] imageIds, List<String> keys,
                   ResumePoint next) {
    public Batch {
        captions = List.copyOf(captions);
        keys = List.copyOf(keys);
        if (captions.size() != keys.size() || imageIds.length != keys.size()) {
            throw new IllegalArgumentException("batch columns differ in length");
        }
    }

    public int size() {
        return keys.size();
    }

    public int floatsPerSample() {
        return size() == 0 ? 0 : pixels.length / size();
    }
}
