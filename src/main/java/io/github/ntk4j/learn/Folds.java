package io.github.ntk4j.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Cross-validation folds: the fold of each row (stratified by class for classification, a seeded
 * shuffle for regression) and the row and block selections of a fold.
 */
final class Folds {
    private Folds() {
    }

    /**
     * Fold of each row: rows of each class (one class for regression) shuffled with the seed and
     * dealt round-robin, so every fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉ of class c.
     *
     * @param classOf class index of each row (all 0 for regression)
     * @param folds k
     * @param seed the shuffle's seed
     * @return the 0-based fold of each row
     */
    static int[] assign(int[] classOf, int folds, long seed) {
        int n = classOf.length;
        int classes = Arrays.stream(classOf).max().orElse(0) + 1;
        int[] fold = new int[n];
        Random rng = new Random(seed);
        int next = 0;
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (classOf[i] == c) {
                    members.add(i);
                }
            }
            Collections.shuffle(members, rng);
            for (int i : members) {
                fold[i] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    /** @return the rows in ({@code in}) or out of fold {@code fold} */
    static int[] indices(int[] assignment, int fold, boolean in) {
        return IntStream.range(0, assignment.length).filter(i -> (assignment[i] == fold) == in).toArray();
    }

    static double[][] rows(double[][] a, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    static String[] pick(String[] a, int[] idx) {
        String[] out = new String[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    /** @return g restricted to rows r and columns c */
    static double[][] block(double[][] g, int[] r, int[] c) {
        double[][] out = new double[r.length][c.length];
        for (int i = 0; i < r.length; i++) {
            double[] gi = g[r[i]];
            double[] oi = out[i];
            for (int j = 0; j < c.length; j++) {
                oi[j] = gi[c[j]];
            }
        }
        return out;
    }
}
