package org.creditlab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.axis.NumberAxis;
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
        ChartStyle.writePng(title, ChartStyle.linePlot(data, x, y, true), 1000, 650, png);
    }
}
