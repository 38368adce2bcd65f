package io.github.ntk4j.internal;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.RunInterruptedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one worker-pool idiom of ntk4j (analytic Gram matrices, finite networks, studies): a
 * fixed number of daemon threads that run tasks 0 … n−1, each thread taking the next task
 * index in increasing order until none is left. Callers split work into tasks whose
 * boundaries never depend on the thread count and let every task write its own part of the
 * result with a fixed summation order, so results are bit-for-bit identical for any thread
 * count; tasks handed out in index order let a caller put its slowest tasks first.
 *
 * <p>A failing task stops the hand-out of further tasks and its exception is rethrown to the
 * caller; an interrupt of the waiting caller becomes a {@link RunInterruptedException}.
 */
public final class Workers implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;

    /**
     * @param threads worker threads, ≥ 1 (1 runs everything on the calling thread)
     */
    public Workers(int threads) {
        this.threads = checkThreads(threads);
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "ntk4j-worker");
            th.setDaemon(true);
            return th;
        });
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
            throw Messages.tooSmall("threads", threads, 1);
        }
        if (threads > MAX_THREADS) {
            throw Messages.tooLarge("threads", threads, MAX_THREADS);
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
     * Runs {@code body} for tasks 0 … n−1, in parallel when there are several threads (tasks
     * started in increasing index order), and returns when all are done.
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
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int t;
            while ((t = next.getAndIncrement()) < n) {
                try {
                    body.accept(t);
                } catch (RuntimeException | Error e) {
                    next.set(n); // hand out no further tasks
                    throw e;
                }
            }
        };
        int started = Math.min(threads, n);
        List<Future<?>> futures = new ArrayList<>(started);
        try {
            for (int k = 0; k < started; k++) {
                futures.add(pool.submit(worker));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            next.set(n);
            Thread.currentThread().interrupt();
            throw new RunInterruptedException("the run was interrupted", e);
        } catch (ExecutionException e) {
            next.set(n);
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
