package io.github.ntk4j.study;

import io.github.ntk4j.net.Layers;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.finite.FiniteNetwork;
import io.github.ntk4j.net.ABRelu;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Erf;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import io.github.ntk4j.net.Parameterization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.hipparchus.distribution.continuous.BetaDistribution;
import org.junit.jupiter.api.Test;

/**
 * The calibration of {@code verify} (docs/FINITE-WIDTH.md §5): not part of the normal test run
 * (the name does not end in "Test"); run it with
 * <pre>
 *   mvn -o -q test-compile surefire:test -Dtest=VerifyCalibration [-Dcalibration.runs=40 -Dcalibration.cheapRuns=120]
 * </pre>
 * For each setting (widths, seeds) and each of R run seeds, the default networks (ReLU and erf),
 * in NTK parameterisation and in standard parameterisation at hidden width N = 256 (system property
 * {@code calibration.parts=ntk,standard}, either or both), are evaluated ONCE and compared with the exact kernel (the positive control: its FAIL rate is
 * the false-FAIL rate, to be compared with the nominal α) and with every wrong kernel of the
 * battery (the same networks, so the rows are paired). It prints a Markdown table and writes it
 * to target/verify-calibration.md. Assertions: the false-FAIL rate is not significantly above α
 * (one-sided exact binomial test at 1%) and the default setting detects a 5% error in W_std
 * (standard parameterisation: the NTK-parameterisation kernel) in every run.
 */
class VerifyCalibration {
    private record Setting(String name, int[] widths, int seeds, int runs) {
    }

    /** A wrong kernel: the reference network built from the verified network's activation. */
    private record Wrong(String name, BiFunction<Activation, Activation, Network> reference) {
    }

    /**
     * The verified networks (ReLU and erf) and the wrong kernels they are compared with: the NTK
     * parameterisation, or the standard one at hidden width {@link #STD_WIDTH}.
     *
     * @param name prefix of the table rows ("" for the NTK parameterisation)
     * @param network the verified network (or a reference) from its activation, depth, W_std, b_std
     * @param battery the wrong kernels
     */
    private record Family(String name, Network4 network, List<Wrong> battery) {
    }

    /** A fully connected network of a family from (activation, depth, W_std, b_std). */
    private interface Network4 {
        Network of(Activation act, int depth, double wStd, double bStd);
    }

    private static final String POSITIVE = "exact (positive control)";
    private static final double W = ConvergenceStudy.DEFAULT_W_STD;
    private static final double B = ConvergenceStudy.DEFAULT_B_STD;
    private static final int DEPTH = ConvergenceStudy.DEFAULT_DEPTH;
    /** Hidden width N of the standard-parameterisation family (the README's verify example). */
    private static final int STD_WIDTH = 256;

    private static Network standard(Activation act, int depth, double wStd, double bStd, int width) {
        return Network.fullyConnected(act, depth, wStd, bStd).withParameterization(Parameterization.STANDARD)
                .withWidth(width);
    }

    private static List<Wrong> battery(Network4 net) {
        List<Wrong> list = new ArrayList<>();
        for (double f : new double[] {1.005, 1.01, 1.02, 1.05, 1.10}) {
            list.add(new Wrong(String.format(Locale.ROOT, "W_std %+.1f%%", 100 * (f - 1)),
                    (act, other) -> net.of(act, DEPTH, W * f, B)));
        }
        for (double f : new double[] {1.05, 1.1, 1.2}) {
            list.add(new Wrong(String.format(Locale.ROOT, "b_std %+.0f%%", 100 * (f - 1)),
                    (act, other) -> net.of(act, DEPTH, W, B * f)));
        }
        list.add(new Wrong("other activation (relu <-> erf)", (act, other) -> net.of(other, DEPTH, W, B)));
        list.add(new Wrong("one layer more", (act, other) -> net.of(act, DEPTH + 1, W, B)));
        list.add(new Wrong("one layer less", (act, other) -> net.of(act, DEPTH - 1, W, B)));
        return list;
    }

    /** The standard-parameterisation battery: the wrong parameterisation, the wrong width N, W_std and b_std off. */
    private static List<Wrong> standardBattery() {
        List<Wrong> list = new ArrayList<>();
        list.add(new Wrong("NTK parameterisation", (act, other) -> Network.fullyConnected(act, DEPTH, W, B)));
        for (int n : new int[] {STD_WIDTH * 21 / 20, STD_WIDTH * 6 / 5, STD_WIDTH * 2}) {
            list.add(new Wrong(String.format(Locale.ROOT, "width N = %d instead of %d", n, STD_WIDTH),
                    (act, other) -> standard(act, DEPTH, W, B, n)));
        }
        for (double f : new double[] {1.01, 1.02, 1.05}) {
            list.add(new Wrong(String.format(Locale.ROOT, "W_std %+.1f%%", 100 * (f - 1)),
                    (act, other) -> standard(act, DEPTH, W * f, B, STD_WIDTH)));
        }
        list.add(new Wrong("b_std +10%", (act, other) -> standard(act, DEPTH, W, B * 1.1, STD_WIDTH)));
        list.add(new Wrong("other activation (relu <-> erf)", (act, other) -> standard(other, DEPTH, W, B, STD_WIDTH)));
        return list;
    }

    /**
     * The families run: system property {@code calibration.parts}, a comma-separated subset of
     * "ntk" and "standard" (default both).
     */
    private static List<Family> families() {
        String parts = System.getProperty("calibration.parts", "ntk,standard");
        List<Family> list = new ArrayList<>();
        for (String part : parts.split(",")) {
            switch (part.trim()) {
                case "ntk" -> list.add(new Family("", Network::fullyConnected, battery(Network::fullyConnected)));
                case "standard" -> list.add(new Family("standard N=" + STD_WIDTH + ", ",
                        (act, depth, w, b) -> standard(act, depth, w, b, STD_WIDTH), standardBattery()));
                default -> throw new IllegalArgumentException("calibration.parts: unknown part " + part);
            }
        }
        return list;
    }

    @Test
    void calibrate() throws IOException {
        int runs = Integer.getInteger("calibration.runs", 40);
        int cheapRuns = Integer.getInteger("calibration.cheapRuns", 120);
        Setting def = new Setting("default: 64..1024 x " + ConvergenceStudy.DEFAULT_SEEDS + " seeds",
                ConvergenceStudy.DEFAULT_WIDTHS, ConvergenceStudy.DEFAULT_SEEDS, runs);
        Setting cheap = new Setting("64,256,1024 x 8 seeds", new int[] {64, 256, 1024}, 8, Math.max(runs, cheapRuns));
        Setting tiny = new Setting("64,128,256 x 3 seeds", new int[] {64, 128, 256}, 3, cheap.runs());
        // what a cheap run draws: the union of the two cheap settings
        Setting cheapTop = new Setting("cheap", new int[] {64, 128, 256, 1024}, 8, cheap.runs());
        List<Setting> settings = List.of(tiny, cheap,
                new Setting("64..1024 x 24 seeds", ConvergenceStudy.DEFAULT_WIDTHS, 24, runs), def);
        List<Family> families = families();
        Activation[] acts = {Layers.relu(), Layers.erf()};
        // counts per family, setting and kernel compared with
        Map<Family, Map<Setting, Map<String, EnumMap<Verdict, Integer>>>> all = new LinkedHashMap<>();
        for (Family fam : families) {
            Map<Setting, Map<String, EnumMap<Verdict, Integer>>> bySetting = new LinkedHashMap<>();
            for (Setting set : settings) {
                Map<String, EnumMap<Verdict, Integer>> counts = new LinkedHashMap<>();
                counts.put(POSITIVE, new EnumMap<>(Verdict.class));
                fam.battery().forEach(w -> counts.put(w.name(), new EnumMap<>(Verdict.class)));
                bySetting.put(set, counts);
            }
            all.put(fam, bySetting);
        }
        List<String> falseFails = new ArrayList<>();
        long start = System.nanoTime();
        // Run r evaluates the default setting's networks once; the smaller settings use the subsets
        // of them their own run would have drawn (network seeds depend only on run seed, width and
        // index), so the settings' rows are correlated with each other but each is exact.
        for (int r = 0; r < cheap.runs(); r++) {
            boolean full = r < runs;
            Setting top = full ? def : cheapTop;
            for (Family fam : families) {
                List<Network> nets = List.of(fam.network().of(acts[0], DEPTH, W, B), fam.network().of(acts[1], DEPTH, W, B));
                ConvergenceStudy study = ConvergenceStudy.defaults().withNetworks(nets).withWidths(top.widths())
                        .withSeeds(top.seeds()).withSeed(1_000_000L + r);
                FiniteNetwork.Sample[][][] samples = study.sample();
                for (Setting set : settings) {
                    if (set.runs() <= r || (!full && set != cheap && set != tiny)) {
                        continue;
                    }
                    ConvergenceStudy sub = study.withWidths(set.widths()).withSeeds(set.seeds());
                    FiniteNetwork.Sample[][][] part = subset(samples, top.widths(), set.widths(), set.seeds());
                    Map<String, EnumMap<Verdict, Integer>> counts = all.get(fam).get(set);
                    ConvergenceStudy.Report positive = sub.analyse(part);
                    count(counts, POSITIVE, positive.verdict());
                    if (set == def) {
                        // what made a false FAIL at the defaults: the failing checks' findings
                        for (ConvergenceStudy.Result res : positive.results()) {
                            if (res.verdict() == Verdict.FAIL) {
                                falseFails.add(String.format(Locale.ROOT, "%srun seed %d, %s %s: %s", fam.name(),
                                        1_000_000L + r, res.activation(), res.kernel(), String.join("; ", res.reasons())));
                            }
                        }
                    }
                    for (Wrong w : fam.battery()) {
                        List<Network> refs = List.of(w.reference().apply(acts[0], acts[1]),
                                w.reference().apply(acts[1], acts[0]));
                        count(counts, w.name(), sub.withReferences(refs).analyse(part).verdict());
                    }
                }
            }
            System.err.printf(Locale.ROOT, "run %d of %d, %.0f s%n", r + 1, cheap.runs(), (System.nanoTime() - start) / 1e9);
        }
        StringBuilder table = new StringBuilder();
        table.append("| setting | runs | kernel compared with | PASS | INCONCLUSIVE | FAIL |\n");
        table.append("|---|---:|---|---:|---:|---:|\n");
        for (Family fam : families) {
            for (Setting set : settings) {
                for (Map.Entry<String, EnumMap<Verdict, Integer>> e : all.get(fam).get(set).entrySet()) {
                    EnumMap<Verdict, Integer> c = e.getValue();
                    table.append(String.format(Locale.ROOT, "| %s%s | %d | %s | %d | %d | %d |%n", fam.name(), set.name(),
                            set.runs(), e.getKey(), c.getOrDefault(Verdict.PASS, 0),
                            c.getOrDefault(Verdict.INCONCLUSIVE, 0), c.getOrDefault(Verdict.FAIL, 0)));
                }
            }
        }
        Family ntk = families.stream().filter(f -> f.name().isEmpty()).findFirst().orElse(null);
        if (ntk != null) {
            // the first negative control: a one-hidden-layer ReLU network against W_std 1.6 in its first layer
            Network relu1 = NetworkSpec.parse("dense(1.4,0.5) relu dense(1.4,0.5)");
            Network wrong16 = NetworkSpec.parse("dense(1.6,0.5) relu dense(1.4,0.5)");
            for (Setting set : List.of(cheap, def)) {
                EnumMap<Verdict, Integer> c = new EnumMap<>(Verdict.class);
                int n = Math.min(set.runs(), set == def ? 5 : 20);
                for (int r = 0; r < n; r++) {
                    ConvergenceStudy study = ConvergenceStudy.defaults().withNetworks(List.of(relu1))
                            .withReferences(List.of(wrong16)).withWidths(set.widths()).withSeeds(set.seeds())
                            .withSeed(2_000_000L + r);
                    c.merge(study.run().verdict(), 1, Integer::sum);
                }
                table.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %d |%n", set.name(), n,
                        "relu depth 1 vs first W_std 1.6", c.getOrDefault(Verdict.PASS, 0),
                        c.getOrDefault(Verdict.INCONCLUSIVE, 0), c.getOrDefault(Verdict.FAIL, 0)));
            }
        }
        if (!falseFails.isEmpty()) {
            table.append("\nFalse FAILs at the defaults:\n\n");
            falseFails.forEach(f -> table.append("- ").append(f).append('\n'));
        }
        String text = "Calibration of verify, " + String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - start) / 1e9)
                + "; nominal family-wise level alpha = " + ConvergenceStudy.ALPHA + "\n\n" + table;
        System.out.println(text);
        Path out = Path.of("target", "verify-calibration.md");
        Files.createDirectories(out.getParent());
        Path tmp = Files.createTempFile(out.getParent(), "verify-calibration", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        for (Family fam : families) {
            Map<String, EnumMap<Verdict, Integer>> counts = all.get(fam).get(def);
            EnumMap<Verdict, Integer> pos = counts.get(POSITIVE);
            int fails = pos.getOrDefault(Verdict.FAIL, 0);
            int n = def.runs();
            // exact one-sided binomial test of "false-FAIL rate <= alpha": P(X >= fails) under Bin(n, alpha)
            double pValue = fails == 0 ? 1
                    : 1 - new org.hipparchus.distribution.discrete.BinomialDistribution(n, ConvergenceStudy.ALPHA)
                            .cumulativeProbability(fails - 1);
            assertTrue(pValue > 0.01, fam.name() + "false-FAIL rate " + fails + "/" + n + " is significantly above alpha");
            String detected = fam == ntk ? "W_std +5.0%" : "NTK parameterisation";
            int caught = counts.get(detected).getOrDefault(Verdict.FAIL, 0);
            assertTrue(caught == n, fam.name() + "default setting missed '" + detected + "' in " + (n - caught) + " of "
                    + n + " runs");
            // Clopper-Pearson upper 95% bound of the false-FAIL rate, for the record
            double upper = fails == n ? 1 : new BetaDistribution(fails + 1, n - fails).inverseCumulativeProbability(0.95);
            System.out.printf(Locale.ROOT, "%sdefault false-FAIL rate %d/%d, upper 95%% bound %.3f%n", fam.name(), fails, n,
                    upper);
        }
    }

    /** samples[net][width][seed] restricted to some of the widths and the first seeds. */
    private static FiniteNetwork.Sample[][][] subset(FiniteNetwork.Sample[][][] samples, int[] widths, int[] keep,
            int seeds) {
        FiniteNetwork.Sample[][][] out = new FiniteNetwork.Sample[samples.length][keep.length][];
        for (int k = 0; k < samples.length; k++) {
            for (int i = 0; i < keep.length; i++) {
                int wi = java.util.Arrays.binarySearch(widths, keep[i]);
                out[k][i] = java.util.Arrays.copyOf(samples[k][wi], seeds);
            }
        }
        return out;
    }

    private static void count(Map<String, EnumMap<Verdict, Integer>> counts, String key, Verdict v) {
        counts.get(key).merge(v, 1, Integer::sum);
    }
}
