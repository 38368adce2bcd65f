package io.github.ntk4j.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.finite.EmpiricalNtk;
import io.github.ntk4j.finite.FiniteNetwork;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvergenceStudy}: the positive control and the negative controls at the
 * defaults (one set of networks compared with four kernels), the same controls at the
 * cheap settings, the statistics recomputed from the samples, INCONCLUSIVE at low power, and
 * a pair whose exact kernel is 0. The error rates over many seeds are measured by
 * {@code VerifyCalibration} (docs/FINITE-WIDTH.md §5).
 */
class ConvergenceStudyTest {
    private static final List<Network> NETS = ConvergenceStudy.defaultNetworks();

    private static List<Network> both(String spec) {
        Network n = NetworkSpec.parse(spec);
        return List.of(n, n);
    }

    @Test
    void defaultsPassThePositiveControlAndFailTheIssuesNegativeControls() {
        ConvergenceStudy study = ConvergenceStudy.defaults().withSeed(11);
        FiniteNetwork.Sample[][][] samples = study.sample();
        ConvergenceStudy.Report ok = study.analyse(samples);
        assertEquals(Verdict.PASS, ok.verdict(), () -> ok.results().toString());
        for (ConvergenceStudy.Result r : ok.results()) {
            // the interval rules out both "no convergence" (0) and the 1/m rate (−1)
            assertTrue(r.fit().upper() < 0 && r.fit().lower() > -1, r.fit().toString());
            assertTrue(r.detectableOffset() <= ConvergenceStudy.MAX_OFFSET, r.activation() + " " + r.detectableOffset());
        }
        // W_std 1.6 instead of 1.4 in the first layer; erf instead of relu (and the reverse); one layer deeper
        List<List<Network>> wrong = List.of(
                List.of(NetworkSpec.parse("dense(1.6,0.5) relu dense(1.4,0.5) relu dense(1.4,0.5)"),
                        NetworkSpec.parse("dense(1.6,0.5) erf dense(1.4,0.5) erf dense(1.4,0.5)")),
                List.of(NETS.get(1), NETS.get(0)),
                List.of(NetworkSpec.parse("dense(1.4,0.5) relu dense(1.4,0.5) relu dense(1.4,0.5) relu dense(1.4,0.5)"),
                        NetworkSpec.parse("dense(1.4,0.5) erf dense(1.4,0.5) erf dense(1.4,0.5) erf dense(1.4,0.5)")));
        for (List<Network> refs : wrong) {
            ConvergenceStudy.Report bad = study.withReferences(refs).analyse(samples);
            assertEquals(Verdict.FAIL, bad.verdict(), refs.toString());
            for (ConvergenceStudy.Result r : bad.results()) {
                assertEquals(Verdict.FAIL, r.verdict(), r.activation() + " " + r.kernel() + " " + r.reasons());
            }
        }
    }

    @Test
    void negativeControlsDoNotPassAtCheapSettings() {
        // a 14% larger first-layer W_std leaves a 17% plateau that a slope-only check passes
        ConvergenceStudy.Report w = ConvergenceStudy.defaults()
                .withNetworks(List.of(NetworkSpec.parse("dense(1.4,0.5) relu dense(1.4,0.5)")))
                .withReferences(List.of(NetworkSpec.parse("dense(1.6,0.5) relu dense(1.4,0.5)")))
                .withWidths(64, 256, 1024).withSeeds(8).run();
        assertEquals(Verdict.FAIL, w.verdict());
        // the plateau fails the bias test by many standard errors
        double maxT = w.results().stream().flatMap(r -> r.bias().stream()).mapToDouble(b -> Math.abs(b.t())).max()
                .orElseThrow();
        assertTrue(maxT > 8, "largest |t| " + maxT);
        // against erf kernels, 3 seeds, widths 64..256; and against a network one layer deeper
        for (List<Network> refs : List.of(both("dense(1.4,0.5) erf dense(1.4,0.5) erf dense(1.4,0.5)"),
                both("dense(1.4,0.5) relu dense(1.4,0.5) relu dense(1.4,0.5) relu dense(1.4,0.5)"))) {
            ConvergenceStudy.Report r = ConvergenceStudy.defaults().withReferences(refs).withWidths(64, 128, 256)
                    .withSeeds(3).run();
            assertNotEquals(Verdict.PASS, r.verdict(), refs.toString());
        }
    }

    @Test
    void lowPowerIsInconclusiveWithAdvice() {
        ConvergenceStudy.Report r = ConvergenceStudy.defaults().withWidths(64, 256, 1024).withSeeds(8).withSeed(4).run();
        assertEquals(Verdict.INCONCLUSIVE, r.verdict(), () -> r.results().toString());
        assertTrue(r.suggestedSeeds() > 8, "advice: " + r.suggestedSeeds());
        assertTrue(r.suggestedWidth() > 1024, "advice: " + r.suggestedWidth());
        // the report renders as text and as JSON-ready maps from the library
        String text = r.toText();
        assertTrue(text.contains("INCONCLUSIVE: ") && text.contains("to decide: more seeds (" + r.suggestedSeeds() + ")"), text);
        assertEquals(r.results().size(), text.lines().filter(l -> l.startsWith("  -> ")).count(), text);
        java.util.Map<String, Object> m = r.toMap();
        assertEquals("INCONCLUSIVE", m.get("verdict"));
        assertEquals(r.suggestedSeeds(), m.get("suggested_seeds"));
        assertEquals(r.results().size(), ((List<?>) m.get("results")).size());
        String json = io.github.ntk4j.io.Json.write(m);
        assertTrue(json.startsWith("{\"verdict\": \"INCONCLUSIVE\""), json.substring(0, 40));
        // two close widths and three networks: INCONCLUSIVE too, never PASS
        ConvergenceStudy.Report two = ConvergenceStudy.defaults().withWidths(64, 128).withSeeds(3).withSeed(4).run();
        assertEquals(Verdict.INCONCLUSIVE, two.verdict(), () -> two.results().toString());
        assertTrue(r.results().stream().noneMatch(ConvergenceStudy.Result::pass));
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        ConvergenceStudy study = ConvergenceStudy.defaults().withWidths(64, 128, 256).withSeeds(4).withSeed(5);
        ConvergenceStudy.Report a = study.withThreads(1).run();
        ConvergenceStudy.Report b = study.withThreads(2).run();
        for (int k = 0; k < a.results().size(); k++) {
            assertArrayEquals(a.results().get(k).rmsRelError(), b.results().get(k).rmsRelError(), 0.0);
            assertEquals(a.results().get(k).bias(), b.results().get(k).bias());
        }
        assertEquals(a.verdict(), b.verdict());
    }

    @Test
    void statisticsAreTheDocumentedOnes() {
        // recompute one width's RMS, its standard error, the mean error and a pair's bias test from the samples
        Network net = NETS.get(1);
        double[][] x = ConvergenceStudy.defaultInputs();
        int seeds = 6;
        int[] widths = {40, 60};
        ConvergenceStudy.Report rep = ConvergenceStudy.defaults().withNetworks(List.of(net)).withWidths(widths)
                .withSeeds(seeds).withSeed(9).run();
        ConvergenceStudy.Result ntk = rep.results().get(0);
        assertEquals(KernelKind.NTK, ntk.kernel());
        assertEquals(2 * (6 + 1), rep.tests());
        GramMatrices exact = NtkRecursion.of(net).gram(x);
        double[][] a = exact.ntk();
        double[][][] v = new double[2][seeds][];
        for (int w = 0; w < 2; w++) {
            for (int s = 0; s < seeds; s++) {
                double[][] full = FiniteNetwork.of(net, widths[w], EmpiricalNtk.networkSeed(9, widths[w], s)).evaluate(x)
                        .ntk();
                v[w][s] = new double[] {full[0][0], full[0][1], full[0][2], full[1][1], full[1][2], full[2][2]};
            }
        }
        int[][] pairs = {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};
        double[] q = new double[seeds];
        double meanErr = 0;
        for (int p = 0; p < 6; p++) {
            int i = pairs[p][0];
            int j = pairs[p][1];
            double scale = Math.sqrt(a[i][i] * a[j][j]);
            double sum = 0;
            for (int s = 0; s < seeds; s++) {
                double e = (v[1][s][p] - a[i][j]) / scale;
                q[s] += e * e / 6;
                sum += v[1][s][p] / seeds;
            }
            meanErr += Math.abs(sum - a[i][j]) / scale / 6;
        }
        double rms = Math.sqrt(EmpiricalNtk.mean(q));
        assertEquals(rms, ntk.rmsRelError()[1], 1e-12 * rms);
        assertEquals(EmpiricalNtk.stderr(q) / (2 * rms), ntk.rmsStderr()[1], 1e-12 * rms);
        assertEquals(meanErr, ntk.meanRelError()[1], 1e-12);
        // the bias test of pair (x0, x2) through the two widths' means (closed form: VerdictRulesTest)
        double[][] values = new double[2][seeds];
        for (int w = 0; w < 2; w++) {
            for (int s = 0; s < seeds; s++) {
                values[w][s] = v[w][s][2];
            }
        }
        PairBias ref = PairBias.test(0, 2, a[0][2], Math.sqrt(a[0][0] * a[2][2]), widths, values);
        assertEquals(ref, ntk.bias().get(2));
    }

    @Test
    void aPairWhoseExactKernelIsZeroIsMeasuredAgainstTheKernelScale() {
        // erf without bias: the orthogonal inputs x0 ⊥ x2 have NTK and NNGP exactly 0; the relative
        // error used to be infinite ("a log-log fit needs positive finite points, got (64.0, Infinity)")
        Network erf0 = NetworkSpec.parse("dense(1.4,0) erf dense(1.4,0) erf dense(1.4,0)");
        ConvergenceStudy.Report r = ConvergenceStudy.defaults().withNetworks(List.of(erf0)).withWidths(64, 128, 256)
                .withSeeds(4).run();
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("(x0, x2)") && n.contains("is 0")), r.notes().toString());
        for (ConvergenceStudy.Result res : r.results()) {
            assertEquals(6, res.bias().size());
            for (double e : res.rmsRelError()) {
                assertTrue(Double.isFinite(e) && e > 0, res.toString());
            }
        }
    }

    @Test
    void badSettingsAreRefused() {
        ConvergenceStudy d = ConvergenceStudy.defaults();
        assertThrows(Ntk4jException.class, () -> d.withSeeds(1));
        assertThrows(Ntk4jException.class, () -> d.withWidths(64, 0, 128));
        assertThrows(Ntk4jException.class, () -> d.withWidths(64, 64, 128));
        assertThrows(Ntk4jException.class, () -> d.withWidths(64));
        assertThrows(Ntk4jException.class, () -> d.withInputs(new double[0][]));
        Ntk4jException e = assertThrows(Ntk4jException.class,
                () -> d.withWidths(64, 128, 1_000_000_000).run());
        assertTrue(e.getMessage().contains("needs about"), e.getMessage());
    }
}
