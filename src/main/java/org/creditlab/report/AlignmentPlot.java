package org.creditlab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** alignment.png: per weight tensor, the angle between the rule's update and the backprop gradient over training. */
public final class AlignmentPlot {
    private AlignmentPlot() { }

    /** @param events "alignment" events as logged (keys like "layer0.W.angle") */
    public static void write(List<Map<String, Object>> events, String title, Path png) throws IOException {
        Map<String, XYSeries> series = new TreeMap<>();
        for (Map<String, Object> e : events) {
            double step = ((Number) e.get("step")).doubleValue();
            for (Map.Entry<String, Object> kv : e.entrySet()) {
                if (!kv.getKey().endsWith(".W.angle") || !(kv.getValue() instanceof Number n)) continue;
                if (!Double.isFinite(n.doubleValue())) continue;
                String layer = kv.getKey().substring(0, kv.getKey().length() - ".angle".length());
                series.computeIfAbsent(layer, k -> new XYSeries(k)).add(step, n.doubleValue());
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        NumberAxis x = new NumberAxis("step");
        NumberAxis y = new NumberAxis("angle to backprop gradient (degrees)");
        y.setRange(0, 180);
        ChartStyle.writePng(title, ChartStyle.linePlot(data, x, y, false), 900, 500, png);
    }
}
