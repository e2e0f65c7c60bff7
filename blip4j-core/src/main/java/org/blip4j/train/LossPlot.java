package org.blip4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.util.ChartFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Loss curves from metrics.jsonl as a PNG (one series per loss), written atomically. */
public final class LossPlot {
    private LossPlot() {
    }

    public static void write(Path metrics, Path png, String title) throws IOException {
        if (!Files.exists(metrics)) {
            return;
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, List<Double>> xs = new LinkedHashMap<>();
        Map<String, List<Double>> ys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(metrics)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(line);
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.startsWith("loss")) {
                    xs.computeIfAbsent(k, x -> new ArrayList<>()).add(n.get("step").asDouble());
                    ys.computeIfAbsent(k, x -> new ArrayList<>()).add(n.get(k).asDouble());
                }
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        ChartFiles.writePng(() -> {
            XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step")
                    .yAxisTitle("loss").build();
            xs.forEach((k, x) -> chart.addSeries(k, x, ys.get(k)).setMarker(SeriesMarkers.NONE));
            return chart;
        }, png);
    }
}
