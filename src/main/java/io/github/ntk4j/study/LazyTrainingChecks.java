package io.github.ntk4j.study;

import io.github.ntk4j.math.RateFit;
import io.github.ntk4j.study.LazyTrainingStudy.Check;
import io.github.ntk4j.study.LazyTrainingStudy.Report;
import io.github.ntk4j.study.LazyTrainingStudy.Rule;
import io.github.ntk4j.study.LazyTrainingStudy.Run;
import java.util.ArrayList;
import java.util.List;

import static io.github.ntk4j.study.LazyTrainingStudy.ALPHA;
import static io.github.ntk4j.study.LazyTrainingStudy.EXPECTED_SLOPE;

/**
 * The checks of a {@link LazyTrainingStudy} and their verdicts, from the networks' measured
 * values: per width the mean over the networks and its standard error s/√S, a power-law fit
 * C·m^p of the means whose slope interval comes from those standard errors
 * ({@link RateFit#withStandardErrors}, level 1 − {@link LazyTrainingStudy#ALPHA}/(number of
 * checks)), and each fit judged against its expected exponent by its {@link Rule} with
 * {@link SlopeCheck} (PASS, FAIL or INCONCLUSIVE; the list of checks and why each exponent is
 * expected: {@link LazyTrainingStudy}'s class comment).
 */
final class LazyTrainingChecks {
    private LazyTrainingChecks() {
    }

    /**
     * Fits and judges every quantity of the runs.
     *
     * @param widths widths m, ascending
     * @param seeds networks per width
     * @param seed run seed
     * @param steps S
     * @param eta η
     * @param lmax λ_max of the analytic Θ(X, X)
     * @param lmin λ_min of the analytic Θ(X, X)
     * @param names Dense layer names
     * @param list every network's values, width-major
     * @return the report with its checks and overall verdict
     */
    static Report report(int[] widths, int seeds, long seed, int steps, double eta, double lmax, double lmin,
            List<String> names, List<Run> list) {
        int layerCount = names.size();
        int family = 4 + layerCount;
        Check distance = check(widths, seeds, "test distance to infinite-width linearisation", list, r -> r.distance(), EXPECTED_SLOPE,
                Rule.CONSISTENT, family);
        Check own = check(widths, seeds, "test distance to own linearisation", list, r -> r.ownDistance(), EXPECTED_SLOPE,
                Rule.AT_LEAST_AS_FAST, family);
        Check ntk = check(widths, seeds, "relative NTK change", list, r -> r.ntkChange(), EXPECTED_SLOPE, Rule.AT_LEAST_AS_FAST,
                family);
        Check all = check(widths, seeds, "relative weight change, all", list, r -> r.weightChange(), EXPECTED_SLOPE,
                Rule.AT_LEAST_AS_FAST, family);
        List<Check> perLayer = new ArrayList<>();
        for (int c = 0; c < layerCount; c++) {
            final int cc = c;
            boolean square = c > 0 && c < layerCount - 1;
            perLayer.add(check(widths, seeds, "relative weight change, " + names.get(c), list, r -> r.layerChange()[cc],
                    square ? -1.0 : EXPECTED_SLOPE, Rule.CONSISTENT, family));
        }
        boolean pass = distance.pass() && own.pass() && ntk.pass() && all.pass() && perLayer.stream().allMatch(Check::pass);
        return new Report(widths, seeds, seed, steps, eta, lmax, lmin, names, list, distance, own, ntk, all,
                List.copyOf(perLayer), pass);
    }

    private static Check check(int[] widths, int seeds, String name, List<Run> runs, java.util.function.ToDoubleFunction<Run> value, double expected,
            Rule rule, int family) {
        double[] mean = new double[widths.length];
        double[] se = new double[widths.length];
        double[] m = new double[widths.length];
        for (int w = 0; w < widths.length; w++) {
            m[w] = widths[w];
            double sum = 0;
            for (int s = 0; s < seeds; s++) {
                sum += value.applyAsDouble(runs.get(w * seeds + s));
            }
            double mu = sum / seeds;
            double ss = 0;
            for (int s = 0; s < seeds; s++) {
                double d = value.applyAsDouble(runs.get(w * seeds + s)) - mu;
                ss += d * d;
            }
            mean[w] = mu;
            se[w] = Math.sqrt(ss / (seeds - 1) / seeds);
        }
        SlopeCheck.Tested t = SlopeCheck.test(widths, mean, se, seeds, expected, rule == Rule.CONSISTENT, ALPHA, family);
        return new Check(name, mean, se, t.fit(), expected, rule, t.outcome().verdict(), t.outcome().reason());
    }
}
