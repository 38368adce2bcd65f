package io.github.ntk4j.plot;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.AtomicFile;
import io.github.ntk4j.study.LazyTrainingStudy;
import io.github.ntk4j.study.ConvergenceStudy;
import io.github.ntk4j.math.RateFit;
import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Plots with XChart, headless ({@code java.awt.headless=true} is set before any AWT class
 * loads).
 */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
        // ImageIO would otherwise buffer a stream in a cache file of its own
        javax.imageio.ImageIO.setUseCache(false);
    }

    private Plots() {
    }

    /**
     * Draws the convergence plot of a {@link ConvergenceStudy.Report}: RMS relative error of
     * single networks against width on log–log axes, one series per network and kernel with
     * ±1 standard-error bars, its fitted power law (dashed), and an m^(−1/2) guide through the
     * first series' fitted value at the smallest width (dotted).
     *
     * @param report the study's report
     * @param file destination; the extension chooses the format: .png or .svg
     */
    public static void convergence(ConvergenceStudy.Report report, Path file) {
        boolean svg = vectorFormat(file);
        XYChart chart = logLogChart(800, 600, "Finite width → infinite width: RMS relative error of single networks",
                "RMS relative error", org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        int series = 0;
        double guideAnchor = Double.NaN;
        double minW = Double.POSITIVE_INFINITY;
        double maxW = 0;
        for (ConvergenceStudy.Result r : report.results()) {
            double[] m = asDoubles(r.widths());
            minW = Math.min(minW, m[0]);
            maxW = Math.max(maxW, m[m.length - 1]);
            String label = r.activation() + " " + r.kernel().name().toLowerCase(Locale.ROOT);
            RateFit fit = r.fit();
            double anchor = addPowerLaw(chart, label, String.format(Locale.ROOT, "%s fit, slope %.3f", label, fit.slope()),
                    m, r.rmsRelError(), r.rmsStderr(), fit, PALETTE[series++ % PALETTE.length]);
            if (Double.isNaN(guideAnchor)) {
                guideAnchor = anchor;
            }
        }
        if (!Double.isNaN(guideAnchor)) {
            addHalfPowerGuide(chart, minW, maxW, guideAnchor);
        }
        save(chart, file, svg);
    }

    /**
     * Draws a {@link io.github.ntk4j.study.FourierFeatureStudy}: on the left the NTK eigenvalue
     * fall-off λ_k/λ₁ against k (log scale) for each input mapping, on the right the held-out
     * signal and each mapping's prediction after the step budget. One PNG, two panels.
     *
     * @param results the study's results, in the order of {@code run}
     * @param xTest held-out inputs
     * @param yTest held-out signal values
     * @param file destination, a .png file
     */
    public static void fourierStudy(java.util.List<io.github.ntk4j.study.FourierFeatureStudy.Result> results, double[] xTest,
            double[] yTest, Path file) {
        checkPng(file);
        XYChart spectrum = new XYChartBuilder().width(700).height(500).title("NTK eigenvalue fall-off")
                .xAxisTitle("k").yAxisTitle("λ_k / λ_1").build();
        spectrum.getStyler().setYAxisLogarithmic(true);
        spectrum.getStyler().setMarkerSize(0);
        XYChart fit = new XYChartBuilder().width(700).height(500).title("Held-out signal and predictions")
                .xAxisTitle("x").yAxisTitle("f(x)").build();
        fit.getStyler().setMarkerSize(0);
        fit.getStyler().setXAxisDecimalPattern("0.0#");
        XYSeries truth = fit.addSeries("signal", xTest, yTest);
        truth.setLineColor(java.awt.Color.BLACK);
        truth.setLineWidth(2.5f);
        for (io.github.ntk4j.study.FourierFeatureStudy.Result r : results) {
            double[] ev = r.eigenvalues();
            double[] k = new double[ev.length];
            double[] ratio = new double[ev.length];
            int used = 0;
            for (int i = 0; i < ev.length; i++) {
                if (ev[i] > 0) {
                    k[used] = i + 1;
                    ratio[used++] = ev[i] / ev[0];
                }
            }
            spectrum.addSeries(r.label(), java.util.Arrays.copyOf(k, used), java.util.Arrays.copyOf(ratio, used));
            fit.addSeries(String.format(Locale.ROOT, "%s (test MSE %.3g)", r.label(), r.testError()), xTest, r.testPrediction());
        }
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(1400, 500, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        try {
            spectrum.paint(g, 700, 500);
            g.translate(700, 0);
            fit.paint(g, 700, 500);
        } finally {
            g.dispose();
        }
        AtomicFile.write(file, out -> {
            if (!javax.imageio.ImageIO.write(img, "png", out)) {
                throw new IOException("this Java runtime has no PNG encoder");
            }
        });
    }

    /**
     * Checks, before any work is done, a plot file that must be PNG: its name ends in .png and
     * it can be written ({@link AtomicFile#checkWritable}).
     *
     * @param file the destination
     */
    public static void checkPng(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png")) {
            throw Messages.invalid("the plot file must be named *.png, got '" + file + "'");
        }
        AtomicFile.checkWritable(file);
    }

    /**
     * Draws eigenvalues (or any positive values) against an index on a logarithmic y axis.
     *
     * @param x the index of each point
     * @param y the values, all &gt; 0
     * @param logX whether the x axis is logarithmic too
     * @param xTitle title of the x axis
     * @param title the chart's title
     * @param file destination; the extension chooses the format: .png or .svg
     */
    public static void eigenvalues(double[] x, double[] y, boolean logX, String xTitle, String title, Path file) {
        boolean svg = vectorFormat(file);
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle("eigenvalue").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("eigenvalue", x, y).setMarker(SeriesMarkers.CIRCLE);
        save(chart, file, svg);
    }

    /**
     * Draws the lazy-training plot of a {@link LazyTrainingStudy.Report}: each measured quantity
     * (mean over the networks, ±1 standard-error bars) against width on log–log axes, its fitted
     * power law C·m^p (dashed; slope in the legend), and an m^(−1/2) guide (dotted) through the
     * first quantity's fit at the smallest width.
     *
     * @param report the study's report
     * @param file destination; the extension chooses the format: .png or .svg
     */
    public static void lazyTraining(LazyTrainingStudy.Report report, Path file) {
        boolean svg = vectorFormat(file);
        XYChart chart = logLogChart(900, 650, String.format(Locale.ROOT, "Lazy training: %d GD steps, lr %.3g",
                report.steps(), report.learningRate()), "mean over networks",
                org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        double[] m = asDoubles(report.widths());
        int series = 0;
        double guideAnchor = Double.NaN;
        for (LazyTrainingStudy.Check c : report.checks()) {
            RateFit fit = c.fit();
            double anchor = addPowerLaw(chart, String.format(Locale.ROOT, "%s (slope %.2f)", c.name(), fit.slope()),
                    c.name() + " fit", m, c.mean(), c.stderr(), fit, PALETTE[series++ % PALETTE.length]);
            if (Double.isNaN(guideAnchor)) {
                guideAnchor = anchor;
            }
        }
        addHalfPowerGuide(chart, m[0], m[m.length - 1], guideAnchor);
        save(chart, file, svg);
    }

    private static final java.awt.Color[] PALETTE = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xd62728),
        new java.awt.Color(0x2ca02c), new java.awt.Color(0x9467bd), new java.awt.Color(0xff7f0e),
        new java.awt.Color(0x8c564b), new java.awt.Color(0xe377c2), new java.awt.Color(0x17becf)};

    /**
     * Checks a plot file before any work is done: its name must end in .png or .svg (the
     * format written is the one the extension names) and it must be writable
     * ({@link AtomicFile#checkWritable}: not a directory, in an existing writable directory).
     *
     * @param file the destination
     * @return whether it is SVG
     */
    public static boolean vectorFormat(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean svg = name.endsWith(".svg");
        if (!svg && !name.endsWith(".png")) {
            throw Messages.invalid("the plot file must be named *.png or *.svg, got '" + file + "'");
        }
        AtomicFile.checkWritable(file);
        return svg;
    }

    private static XYChart logLogChart(int width, int height, String title, String yTitle,
            org.knowm.xchart.style.Styler.LegendLayout legend) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("width m")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(legend);
        return chart;
    }

    private static double[] asDoubles(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /**
     * Points with ±1 standard-error bars and their fitted power law (dashed, same colour).
     *
     * @return the fit's value at the smallest width (an anchor for the m^(−1/2) guide)
     */
    private static double addPowerLaw(XYChart chart, String label, String fitLabel, double[] m, double[] mean,
            double[] stderr, RateFit fit, java.awt.Color color) {
        int n = m.length;
        XYSeries points = chart.addSeries(label, m, mean, stderr);
        points.setMarker(SeriesMarkers.CIRCLE);
        points.setMarkerColor(color);
        points.setLineColor(color);
        points.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
        double[] fy = {fit.predict(m[0]), fit.predict(m[n - 1])};
        XYSeries line = chart.addSeries(fitLabel, new double[] {m[0], m[n - 1]}, fy);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(color);
        line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        line.setShowInLegend(false);
        return fy[0];
    }

    /** The dotted m^(−1/2) guide from (m0, anchor) to m1. */
    private static void addHalfPowerGuide(XYChart chart, double m0, double m1, double anchor) {
        XYSeries guide = chart.addSeries("m^(-1/2)", new double[] {m0, m1}, new double[] {anchor, anchor * Math.sqrt(m0 / m1)});
        guide.setMarker(SeriesMarkers.NONE);
        guide.setLineColor(java.awt.Color.BLACK);
        guide.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {2f, 3f}, 0f));
    }

    /**
     * Writes the chart to exactly the file named (XChart's own file methods append the
     * extension to a name such as ".png"), atomically.
     */
    private static void save(XYChart chart, Path file, boolean svg) {
        AtomicFile.write(file, out -> {
            if (svg) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }

    /**
     * The path-kernel study ({@code pathkernel --plot}): left, the distances of K^p/(ηT) to the
     * analytic and empirical NTKs and of the predictions to gradient flow against width (log–log,
     * ±1 standard error, fitted power laws, an m^(−1/2) guide); right, the exact and the naive
     * path kernel's largest relative gap against η at fixed ηT (log–log); third, the distances of
     * K^p/(ηT) to the analytic and the initial empirical NTK against ηT at fixed η. PNG: the
     * panels side by side in one image; SVG: the width panel in the file, the others beside it
     * in NAME-lr.svg and NAME-time.svg.
     *
     * @param sweep the width sweep
     * @param rates the learning-rate sweep
     * @param times the training-time sweep
     * @param file destination (.png or .svg)
     */
    public static void pathKernel(io.github.ntk4j.study.PathKernelStudy.WidthSweep sweep,
            io.github.ntk4j.study.PathKernelStudy.RatePoint[] rates, io.github.ntk4j.study.PathKernelStudy.TimePoint[] times,
            Path file) {
        boolean svg = vectorFormat(file);
        XYChart left = logLogChart(800, 650, "Path kernel vs NTK (same eta T)", "relative distance (mean over networks)",
                org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        double[] m = asDoubles(sweep.widths());
        double anchor = Double.NaN;
        for (int k = 0; k < sweep.fits().length; k++) {
            RateFit fit = sweep.fits()[k];
            String name = io.github.ntk4j.study.PathKernelStudy.WidthSweep.QUANTITIES[k];
            double a = addPowerLaw(left, String.format(Locale.ROOT, "%s (slope %.2f [%.2f, %.2f])", name, fit.slope(),
                    fit.lower(), fit.upper()), name + " fit", m, sweep.distances()[k], sweep.stderr()[k], fit,
                    PALETTE[k % PALETTE.length]);
            if (Double.isNaN(anchor)) {
                anchor = a;
            }
        }
        addHalfPowerGuide(left, m[0], m[m.length - 1], anchor);
        XYChart right = new XYChartBuilder().width(600).height(650).title("Kernel-machine gap vs step (fixed eta T)")
                .xAxisTitle("learning rate eta").yAxisTitle("max |machine - f(x; w_T)| / |f(x; w_T) - f(x; w_0)|").build();
        right.getStyler().setXAxisLogarithmic(true);
        right.getStyler().setYAxisLogarithmic(true);
        right.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        double[] eta = new double[rates.length];
        double[] naive = new double[rates.length];
        double[] exact = new double[rates.length];
        for (int i = 0; i < rates.length; i++) {
            eta[i] = rates[i].learningRate();
            naive[i] = rates[i].naiveGap();
            exact[i] = Math.max(rates[i].gap(), 1e-17); // a gap of exactly 0 on a log axis
        }
        XYSeries sn = right.addSeries("naive path kernel (tangent kernel at each step's start), max over x", eta, naive);
        sn.setMarker(SeriesMarkers.CIRCLE);
        sn.setLineColor(PALETTE[1]);
        sn.setMarkerColor(PALETTE[1]);
        double[] naiveRms = new double[rates.length];
        for (int i = 0; i < rates.length; i++) {
            naiveRms[i] = rates[i].naiveRmsGap();
        }
        XYSeries sr = right.addSeries("naive path kernel, relative to the RMS change", eta, naiveRms);
        sr.setMarker(SeriesMarkers.SQUARE);
        sr.setLineColor(PALETTE[4]);
        sr.setMarkerColor(PALETTE[4]);
        XYSeries se = right.addSeries("exact path kernel (quadrature along each step)", eta, exact);
        se.setMarker(SeriesMarkers.DIAMOND);
        se.setLineColor(PALETTE[0]);
        se.setMarkerColor(PALETTE[0]);
        XYChart third = new XYChartBuilder().width(600).height(650).title("Leaving the lazy regime (fixed eta)")
                .xAxisTitle("training time eta T").yAxisTitle("relative Frobenius distance of K^p/(eta T)").build();
        third.getStyler().setXAxisLogarithmic(true);
        third.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        double[] time = new double[times.length];
        double[] toAnalytic = new double[times.length];
        double[] toInitial = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            time[i] = times[i].time();
            toAnalytic[i] = times[i].toAnalytic();
            toInitial[i] = times[i].toInitial();
        }
        XYSeries ta = third.addSeries("to the analytic NTK", time, toAnalytic);
        ta.setMarker(SeriesMarkers.CIRCLE);
        ta.setLineColor(PALETTE[0]);
        ta.setMarkerColor(PALETTE[0]);
        XYSeries ti = third.addSeries("to the empirical NTK at init", time, toInitial);
        ti.setMarker(SeriesMarkers.DIAMOND);
        ti.setLineColor(PALETTE[1]);
        ti.setMarkerColor(PALETTE[1]);
        if (svg) {
            save(left, file, true);
            String name = file.getFileName().toString();
            String stem = name.substring(0, name.length() - 4);
            save(right, file.resolveSibling(stem + "-lr.svg"), true);
            save(third, file.resolveSibling(stem + "-time.svg"), true);
            return;
        }
        java.awt.image.BufferedImage a = BitmapEncoder.getBufferedImage(left);
        java.awt.image.BufferedImage b = BitmapEncoder.getBufferedImage(right);
        java.awt.image.BufferedImage c = BitmapEncoder.getBufferedImage(third);
        java.awt.image.BufferedImage both = new java.awt.image.BufferedImage(a.getWidth() + b.getWidth() + c.getWidth(),
                Math.max(a.getHeight(), Math.max(b.getHeight(), c.getHeight())), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = both.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.drawImage(c, a.getWidth() + b.getWidth(), 0, null);
        g.dispose();
        AtomicFile.write(file, out -> {
            if (!javax.imageio.ImageIO.write(both, "png", out)) {
                throw new IOException("no PNG writer");
            }
        });
    }
}
