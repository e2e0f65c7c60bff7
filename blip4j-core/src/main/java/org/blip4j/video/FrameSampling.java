package org.blip4j.video;

/**
 * Which frames a video contributes (orig {@code data/video_dataset.py} {@code load_video_from_path_decord}, strategy
 * {@code 'uniform'}): {@code np.arange(0, vlen, vlen / num_frm, dtype=int)}. With {@code dtype=int} numpy steps by
 * {@code int(vlen / num_frm)} from 0, so frame {@code i} is {@code i * floor(vlen / n)} (not {@code floor(i * vlen / n)});
 * reproduced here, including that a video shorter than {@code n} frames repeats frame 0.
 */
public final class FrameSampling {
    private FrameSampling() {
    }

    public static int[] uniform(int totalFrames, int n) {
        if (totalFrames <= 0) {
            throw new IllegalArgumentException("a video needs at least one frame, got " + totalFrames);
        }
        if (n <= 0) {
            throw new IllegalArgumentException("number of frames must be > 0, got " + n);
        }
        int step = totalFrames / n;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i * step;
        }
        return out;
    }
}
