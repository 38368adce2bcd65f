package io.github.ntk4j.plot;

import io.github.ntk4j.io.AtomicFile;
import io.github.ntk4j.study.InterpolationStudy;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of {@link InterpolationStudy}, with XChart (headless, as {@link Plots}).
 */
public final class InterpolationPlots {
    static {
        System.setProperty("java.awt.headless", "true");
        javax.imageio.ImageIO.setUseCache(false);
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    private InterpolationPlots() {
    }

    /**
     * Test error against label noise: the interpolant, the cross-validated ridge and early
     * stopping on clean test labels, the interpolant on test labels with the same noise, and
     * Belkin's Bayes-consistent reference ε(k−1)/k + (1−ε)P (dashed).
     *
     * @param report the noise experiment
     * @param file destination; .png or .svg
     */
    public static void noise(InterpolationStudy.NoiseReport report, Path file) {
        boolean svg = Plots.vectorFormat(file);
        XYChart chart = new XYChartBuilder().width(850).height(550)
                .title(String.format(Locale.ROOT, "Test error against label noise (n = %d, k = %d)", report.trainSize(),
                        report.classes()))
                .xAxisTitle("label noise on the training set").yAxisTitle("test error").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        int m = report.rows().size();
        double[] eps = new double[m];
        Map<String, double[]> lines = new LinkedHashMap<>();
        String[] names = {"interpolant (clean test labels)", "cross-validated ridge", "early-stopped gradient flow",
            "interpolant (noisy test labels)", "Bayes-consistent reference (noisy labels)"};
        for (String s : names) {
            lines.put(s, new double[m]);
        }
        for (int i = 0; i < m; i++) {
            InterpolationStudy.NoiseRow r = report.rows().get(i);
            eps[i] = r.noise();
            lines.get(names[0])[i] = 1 - r.interpolant().test();
            lines.get(names[1])[i] = 1 - r.ridge().test();
            lines.get(names[2])[i] = 1 - r.earlyStopping().test();
            lines.get(names[3])[i] = r.interpolantNoisyTestError();
            lines.get(names[4])[i] = r.bayesConsistent();
        }
        int c = 0;
        for (Map.Entry<String, double[]> e : lines.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), eps, e.getValue());
            s.setLineColor(PALETTE[c % PALETTE.length]);
            s.setMarkerColor(PALETTE[c % PALETTE.length]);
            s.setMarker(c == 4 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            if (c >= 3) {
                s.setLineStyle(DASHED);
            }
            c++;
        }
        save(chart, file, svg);
    }

    /**
     * The interpolant's squared RKHS norm against n, log–log: one colour per kernel, solid for
     * the first noise level and dashed for the others; sizes where the Gram matrix is
     * numerically singular are left out (the series ends there).
     *
     * @param series the norm-growth experiment
     * @param file destination; .png or .svg
     */
    public static void normGrowth(List<InterpolationStudy.NormSeries> series, Path file) {
        boolean svg = Plots.vectorFormat(file);
        XYChart chart = new XYChartBuilder().width(950).height(600).title("RKHS norm of the interpolant, y^T K^-1 y")
                .xAxisTitle("training points n").yAxisTitle("squared RKHS norm").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        List<String> kernels = new ArrayList<>();
        double firstNoise = series.isEmpty() ? 0 : series.get(0).noise();
        for (InterpolationStudy.NormSeries s : series) {
            if (!kernels.contains(s.kernel())) {
                kernels.add(s.kernel());
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.sizes().length; i++) {
                if (Double.isFinite(s.normSquared()[i]) && s.normSquared()[i] > 0) {
                    xs.add((double) s.sizes()[i]);
                    ys.add(s.normSquared()[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            Color color = PALETTE[kernels.indexOf(s.kernel()) % PALETTE.length];
            XYSeries p = chart.addSeries(String.format(Locale.ROOT, "%s, noise %s", s.kernel(), pct(s.noise())), xs, ys);
            p.setLineColor(color);
            p.setMarkerColor(color);
            p.setMarker(s.noise() == firstNoise ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            if (s.noise() != firstNoise) {
                p.setLineStyle(DASHED);
            }
        }
        save(chart, file, svg);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.3g%%", 100 * v);
    }

    private static void save(XYChart chart, Path file, boolean svg) {
        AtomicFile.write(file, out -> {
            if (svg) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }
}
