package org.creditlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** The sweep report's figures: accuracy against learning rate per rule, and learning curves with seed bands. */
public final class SweepPlots {
    private SweepPlots() { }

    /**
     * Final test accuracy (mean over seeds, bars the 95 % CI) against lr on a log axis, a line per rule and other
     * setting; false (nothing written) when lr is not an axis with two or more values.
     */
    public static boolean accuracyVsLr(SweepReport report, String title, Path png) throws IOException {
        if (!report.axes().contains("lr")) return false;
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        int points = 0;
        for (SweepReport.Group g : report.groups()) {
            Stats s = g.finalTest();
            if (s.n() == 0 || !g.setting().containsKey("lr")) continue;
            Map<String, com.fasterxml.jackson.databind.JsonNode> rest = new LinkedHashMap<>(g.setting());
            rest.remove("lr");
            String label = label(rest, g.rule());
            double lo = s.n() > 1 ? s.ciLow() : s.mean(), hi = s.n() > 1 ? s.ciHigh() : s.mean();
            series.computeIfAbsent(label, k -> new YIntervalSeries(k)).add(g.setting().get("lr").asDouble(), s.mean(), lo, hi);
            points++;
        }
        if (points < 2) return false;
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.values().forEach(data::addSeries);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        for (int i = 0; i < data.getSeriesCount(); i++) renderer.setSeriesStroke(i, new BasicStroke(2f));
        LogAxis x = new LogAxis("learning rate");
        x.setSmallestValue(1e-9);
        x.setNumberFormatOverride(new java.text.DecimalFormat("0.######"));   // 0.03, not 10^-1.52
        NumberAxis y = new NumberAxis("final test accuracy (%), mean and 95 % CI over seeds");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        ChartStyle.writePng(title, plot, 1000, 650, png);
        return true;
    }

    /** Test accuracy per epoch of each chosen group: the mean over seeds, the band from the lowest to the highest seed. */
    public static void curves(List<SweepReport.Group> groups, String title, Path png) throws IOException {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (SweepReport.Group g : groups) {
            List<List<Double>> runs = new ArrayList<>();
            g.completed().forEach(c -> runs.add(c.testPerEpoch()));
            if (runs.isEmpty()) continue;
            YIntervalSeries s = new YIntervalSeries(label(g.setting(), g.rule()) + " (" + runs.size() + " seeds)");
            int epochs = runs.stream().mapToInt(List::size).max().orElse(0);
            for (int e = 0; e < epochs; e++) {
                double sum = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                int n = 0;
                for (List<Double> r : runs) {
                    if (e >= r.size() || !Double.isFinite(r.get(e))) continue;
                    double v = r.get(e);
                    sum += v;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    n++;
                }
                if (n > 0) s.add(e + 1, sum / n, lo, hi);
            }
            data.addSeries(s);
        }
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.2f);
        java.awt.Paint[] colours = org.jfree.chart.plot.DefaultDrawingSupplier.DEFAULT_PAINT_SEQUENCE;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            // the band is drawn in the fill paint, white unless set: the line's own colour, made translucent by the alpha
            renderer.setSeriesPaint(i, colours[i % colours.length]);
            renderer.setSeriesFillPaint(i, colours[i % colours.length]);
        }
        NumberAxis x = new NumberAxis("epoch");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("test accuracy (%): mean, band = min..max over seeds");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        ChartStyle.writePng(title, plot, 1000, 650, png);
    }

    private static String label(Map<String, com.fasterxml.jackson.databind.JsonNode> setting, String rule) {
        List<String> parts = new ArrayList<>();
        parts.add(rule);
        setting.forEach((k, v) -> { if (!k.equals("rule")) parts.add(k + "=" + SweepReport.show(v)); });
        return String.join(", ", parts);
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
}
