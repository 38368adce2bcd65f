package io.github.ntk4j.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.finite.EmpiricalNtk;
import io.github.ntk4j.finite.FiniteNetwork;
import io.github.ntk4j.kernel.GramMatrices;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceStudyTest {
    private static final List<Network> NETS = ConvergenceStudy.defaultNetworks();

    @Test
    void smallStudyShowsTheInverseSquareRootRateAndIsReproducible() {
        ConvergenceStudy study = ConvergenceStudy.defaults().withWidths(64, 128, 256, 512, 1024).withSeeds(16).withSeed(5);
        ConvergenceStudy.Report a = study.withThreads(1).run();
        ConvergenceStudy.Report b = study.withThreads(2).run();
        assertEquals(4, a.results().size());
        for (int k = 0; k < a.results().size(); k++) {
            ConvergenceStudy.Result ra = a.results().get(k);
            ConvergenceStudy.Result rb = b.results().get(k);
            assertArrayEquals(ra.rmsRelError(), rb.rmsRelError(), 0.0, "thread count changed a result");
            assertArrayEquals(ra.meanRelError(), rb.meanRelError(), 0.0);
            // a halving of the error per quadrupling of the width, within the fit's interval
            assertTrue(ra.fit().consistentWith(-0.5), ra.activation() + " " + ra.kernel() + " " + ra.fit());
            assertTrue(ra.pass());
            // and the interval is narrow enough to rule out "no convergence" (0) and the 1/m rate (−1)
            assertTrue(ra.fit().upper() < 0 && ra.fit().lower() > -1, "interval too wide to mean anything: "
                    + ra.fit());
        }
        assertTrue(a.pass());
    }

    @Test
    void statisticsAreTheDocumentedOnes() {
        // recompute one width's RMS, its standard error and the mean error from the samples
        Network net = NETS.get(1);
        double[][] x = ConvergenceStudy.defaultInputs();
        int seeds = 6;
        ConvergenceStudy.Report rep = ConvergenceStudy.defaults().withNetworks(List.of(net))
                .withWidths(40, 50, 60).withSeeds(seeds).withSeed(9).run();
        ConvergenceStudy.Result ntk = rep.results().get(0);
        assertEquals(KernelKind.NTK, ntk.kernel());
        GramMatrices exact = NtkRecursion.of(net).gram(x);
        double[] q = new double[seeds];
        double meanErr = 0;
        double[][] sum = new double[3][3];
        for (int s = 0; s < seeds; s++) {
            double[][] v = FiniteNetwork.of(net, 50, EmpiricalNtk.networkSeed(9, 50, s)).evaluate(x).ntk();
            for (int i = 0; i < 3; i++) {
                for (int j = i; j < 3; j++) {
                    double e = (v[i][j] - exact.ntk()[i][j]) / exact.ntk()[i][j];
                    q[s] += e * e / 6;
                    sum[i][j] += v[i][j] / seeds;
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            for (int j = i; j < 3; j++) {
                meanErr += Math.abs(sum[i][j] - exact.ntk()[i][j]) / exact.ntk()[i][j] / 6;
            }
        }
        double rms = Math.sqrt(EmpiricalNtk.mean(q));
        assertEquals(rms, ntk.rmsRelError()[1], 1e-12 * rms);
        assertEquals(EmpiricalNtk.stderr(q) / (2 * rms), ntk.rmsStderr()[1], 1e-12 * rms);
        assertEquals(meanErr, ntk.meanRelError()[1], 1e-12);
    }

    @Test
    void badSettingsAreRefused() {
        ConvergenceStudy d = ConvergenceStudy.defaults();
        assertThrows(Ntk4jException.class, () -> d.withSeeds(1));
        assertThrows(Ntk4jException.class, () -> d.withWidths(64, 0, 128));
        assertThrows(Ntk4jException.class, () -> d.withWidths(64, 64, 128));
        assertThrows(Ntk4jException.class, () -> d.withInputs(new double[0][]));
        Ntk4jException e = assertThrows(Ntk4jException.class,
                () -> d.withWidths(64, 128, 1_000_000_000).run());
        assertTrue(e.getMessage().contains("needs about"), e.getMessage());
    }
}
