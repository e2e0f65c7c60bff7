package org.blip4j.util;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Writes XChart plots as PNG files, atomically (a {@code .NAME.tmp.png} sibling, then a rename). */
public final class ChartFiles {
    private ChartFiles() {
    }

    /** Builds the chart (headless unless the caller chose: servers have no display) and writes it to {@code png}. */
    public static void writePng(Supplier<? extends Chart<?, ?>> build, Path png) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Chart<?, ?> chart = build.get();
        Path tmp = png.resolveSibling("." + png.getFileName() + ".tmp.png");
        BitmapEncoder.saveBitmap(chart, tmp.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.moveAtomically(tmp, png);
    }
}
