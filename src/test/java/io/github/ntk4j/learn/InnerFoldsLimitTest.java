package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.learn.KernelModelSelection.Options;
import io.github.ntk4j.learn.KernelModelSelection.Task;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Inner folds are bounded by the rows of the smallest outer training part. */
class InnerFoldsLimitTest {
    private static final KernelFamily SINGLE = KernelFamily.fullyConnected("relu").withGrid("depth", 1)
            .withGrid("w_std", 1.4).withGrid("b_std", 0.1);

    private static double[][] x(int n) {
        Random rng = new Random(1);
        double[][] x = new double[n][2];
        for (int i = 0; i < n; i++) {
            x[i][0] = rng.nextGaussian();
            x[i][1] = rng.nextGaussian();
        }
        return x;
    }

    private static double[] y(double[][] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.sin(x[i][0]) + x[i][1];
        }
        return y;
    }

    private static Options options(int folds, int inner) {
        return Options.defaults().withFolds(folds).withInnerFolds(inner).withRidges(1e-2).withThreads(1);
    }

    /** A reproducer: 2 outer folds of 15 rows' training parts, 20 inner folds. */
    @Test
    void twentyInnerFoldsOnFifteenRowsAreRefused() {
        double[][] x = x(30);
        Ntk4jException e = assertThrows(InvalidInputException.class,
                () -> KernelModelSelection.crossValidate(x, y(x), SINGLE, options(2, 20)));
        assertTrue(e.getMessage().contains("20 inner folds are more than the 15 rows of the smallest training part"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** Variant: 31 rows in 2 folds (16 and 15 test rows): 15 inner folds accepted, 16 refused; scores all defined. */
    @Test
    void limitIsTheSmallestTrainingPart() {
        double[][] x = x(31);
        double[] y = y(x);
        KernelModelSelection.Result r = KernelModelSelection.crossValidate(x, y, SINGLE, options(2, 15));
        for (KernelModelSelection.Fold f : r.folds()) {
            assertTrue(Double.isFinite(f.score()), "fold score " + f.score());
        }
        Ntk4jException e = assertThrows(InvalidInputException.class,
                () -> KernelModelSelection.crossValidate(x, y, SINGLE, options(2, 16)));
        assertTrue(e.getMessage().contains("at most 15 inner folds"), e.getMessage());
    }

    /** Classification takes the same bound, with stratified folds. */
    @Test
    void classificationIsBoundedToo() {
        double[][] x = x(24);
        String[] labels = new String[24];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2 == 0 ? "a" : "b";
        }
        assertThrows(InvalidInputException.class,
                () -> KernelModelSelection.crossValidate(Task.CLASSIFY, x, labels, SINGLE, options(3, 17)));
    }
}
