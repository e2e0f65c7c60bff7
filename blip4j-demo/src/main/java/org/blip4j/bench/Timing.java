package org.blip4j.bench;

/** Runs a task after warm-up and reports the median seconds per run. */
public final class Timing {
    private Timing() {
    }

    public static double medianSeconds(Runnable task, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            task.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        java.util.Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }
}
