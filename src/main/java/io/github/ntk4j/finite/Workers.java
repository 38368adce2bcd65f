package io.github.ntk4j.finite;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * A fixed number of worker threads for the finite-width engine. Work is split into tasks
 * whose boundaries never depend on the thread count, and every task writes its own part of
 * the result with a fixed summation order, so results are bit-for-bit identical for any
 * thread count.
 */
public final class Workers implements AutoCloseable {
    private final int threads;
    private final ForkJoinPool pool;

    /**
     * @param threads worker threads, ≥ 1 (1 runs everything on the calling thread)
     */
    public Workers(int threads) {
        this.threads = checkThreads(threads);
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    /** Most worker threads accepted (far more than any machine has cores; each thread costs memory). */
    public static final int MAX_THREADS = 1024;

    /**
     * Checks a thread count before anything is sized by it.
     *
     * @param threads the count
     * @return it, when 1 … {@link #MAX_THREADS}
     * @throws io.github.ntk4j.InvalidInputException otherwise
     */
    public static int checkThreads(int threads) {
        if (threads < 1) {
            throw io.github.ntk4j.Messages.tooSmall("threads", threads, 1);
        }
        if (threads > MAX_THREADS) {
            throw io.github.ntk4j.Messages.tooLarge("threads", threads, MAX_THREADS);
        }
        return threads;
    }

    /** @return workers that run on the calling thread only */
    public static Workers serial() {
        return new Workers(1);
    }

    /** @return the thread count */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} for tasks 0 … n−1, in parallel when there are several threads, and
     * returns when all are done.
     *
     * @param n number of tasks
     * @param body the task body, given its index
     */
    public void forEach(int n, IntConsumer body) {
        if (pool == null || n <= 1) {
            for (int t = 0; t < n; t++) {
                body.accept(t);
            }
            return;
        }
        pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
