package org.blip4j.capfilt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.blip4j.util.ChartFiles;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** The filter's P(match) histograms of web and synthetic texts as a PNG, written atomically. */
final class ItmHistogramChart {
    private ItmHistogramChart() {
    }

    static void write(CapfiltReport r, double threshold, Path png) throws IOException {
        ChartFiles.writePng(() -> histogram(r, threshold), png);
    }

    private static CategoryChart histogram(CapfiltReport r, double threshold) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(String.format(Locale.ROOT, "ITM P(match), keep >= %.2f", threshold))
                .xAxisTitle("P(match)").yAxisTitle("texts").build();
        List<String> bins = new ArrayList<>();
        for (int i = 0; i < r.itmBins(); i++) {
            bins.add(String.format(Locale.ROOT, "%.2f", (double) i / r.itmBins()));
        }
        chart.getStyler().setOverlapped(false).setXAxisLabelRotation(45).setLegendVisible(true);
        chart.addSeries("web", bins, toList(r.webItmHistogram()));
        chart.addSeries("synthetic", bins, toList(r.syntheticItmHistogram()));
        return chart;
    }

    private static List<Long> toList(long[] a) {
        List<Long> out = new ArrayList<>(a.length);
        for (long v : a) {
            out.add(v);
        }
        return out;
    }
}
