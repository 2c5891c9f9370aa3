package org.creditlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Test accuracy per epoch of several runs in one figure. */
public final class ComparisonPlot {
    private ComparisonPlot() { }

    public static void write(List<RunSummary> runs, String title, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunSummary r : runs) {
            XYSeries s = new XYSeries(r.dir().getFileName().toString());
            for (int i = 0; i < r.accuracyPerEpoch().size(); i++) {
                double v = r.accuracyPerEpoch().get(i);
                if (Double.isFinite(v)) s.add(i + 1, v);
            }
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis("epoch");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("test accuracy (%)");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) renderer.setSeriesStroke(i, new BasicStroke(2f));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ImageIO.write(chart.createBufferedImage(1000, 650), "png", png.toFile());
    }
}
