package org.creditlab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.creditlab.experiment.EpochMetrics;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** curves.png: loss (top) and accuracy (bottom) per epoch, drawn with JFreeChart. */
public final class CurvePlot {
    private CurvePlot() { }

    public static void write(List<EpochMetrics> metrics, String title, Path png) throws IOException {
        XYSeries trainLoss = new XYSeries("train loss");
        XYSeries testLoss = new XYSeries("test loss");
        XYSeries valLoss = new XYSeries("validation loss");
        XYSeries testAcc = new XYSeries("test accuracy");
        XYSeries valAcc = new XYSeries("validation accuracy");
        for (EpochMetrics m : metrics) {
            addFinite(trainLoss, m.epoch(), m.trainLoss());
            addFinite(testLoss, m.epoch(), m.testLoss());
            addFinite(valLoss, m.epoch(), m.validationLoss());
            addFinite(testAcc, m.epoch(), m.testAccuracy());
            addFinite(valAcc, m.epoch(), m.validationAccuracy());
        }
        XYSeriesCollection losses = collection(trainLoss, testLoss, valLoss);
        XYSeriesCollection accuracies = collection(testAcc, valAcc);

        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.setGap(12);
        plot.add(subplot(losses, "loss"), 1);
        NumberAxis accAxis = new NumberAxis("accuracy (%)");
        XYPlot acc = subplot(accuracies, "accuracy (%)");
        acc.setRangeAxis(accAxis);
        accAxis.setAutoRangeIncludesZero(false);
        plot.add(acc, 1);
        ChartStyle.writePng(title, plot, 900, 700, png);
    }

    private static XYPlot subplot(XYSeriesCollection data, String label) {
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(false);
        return ChartStyle.linePlot(data, null, y, true);
    }

    private static XYSeriesCollection collection(XYSeries... series) {
        XYSeriesCollection c = new XYSeriesCollection();
        for (XYSeries s : series) if (s.getItemCount() > 0) c.addSeries(s);
        return c;
    }

    private static void addFinite(XYSeries s, int x, Double y) {
        if (y != null && Double.isFinite(y)) s.add(x, y);
    }

}
