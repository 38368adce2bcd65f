package io.github.ntk4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/** Grouping a partition's rows into slices of consecutive rows (the unit of work of a task). */
final class Blocks {
    private Blocks() {
    }

    /**
     * Groups an iterator into lists of at most {@code size} consecutive elements.
     *
     * @param it the partition
     * @param size elements per group, ≥ 1
     * @param make what each group becomes
     * @return the groups, lazily
     */
    static <T, R> Iterator<R> grouped(Iterator<T> it, int size, Function<List<T>, R> make) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public R next() {
                List<T> g = new ArrayList<>(size);
                while (it.hasNext() && g.size() < size) {
                    g.add(it.next());
                }
                return make.apply(g);
            }
        };
    }

    /** A slice of consecutive rows: the first row's number and the rows. */
    record RowBlock(long start, double[][] rows) implements Serializable {
    }

    /** Row-major flattening of a b×m matrix. */
    static double[] flat(double[][] a, int cols) {
        double[] out = new double[a.length * cols];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * cols, cols);
        }
        return out;
    }

    /** acc += b, returning acc. */
    static double[] addInto(double[] acc, double[] b) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += b[i];
        }
        return acc;
    }
}
