package org.creditlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;

/** The look every credit figure shares: white background, light grid, thick lines; written as PNG. */
final class ChartStyle {
    private ChartStyle() { }

    /** A line plot of {@code data} on the given axes. */
    static XYPlot linePlot(XYSeriesCollection data, NumberAxis x, NumberAxis y, boolean markers) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, markers);
        for (int i = 0; i < data.getSeriesCount(); i++) renderer.setSeriesStroke(i, new BasicStroke(2f));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    static void writePng(String title, org.jfree.chart.plot.Plot plot, int width, int height, Path png) throws IOException {
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ImageIO.write(chart.createBufferedImage(width, height), "png", png.toFile());
    }
}
