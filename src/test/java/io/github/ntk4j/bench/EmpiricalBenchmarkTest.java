package io.github.ntk4j.bench;

import io.github.ntk4j.finite.EmpiricalNtk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.api.Test;

/** The benchmark on runtimes without jdk.management, and its argument checks. */
class EmpiricalBenchmarkTest {
    private static final Network NET = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1)");

    @Test
    void withoutTheJdkManagementBeanTheCpuTimeIsUnknownNotACrash() {
        // a jlinked runtime without jdk.management has no com.sun.management classes
        assertEquals(-1, EmpiricalBenchmark.processCpuNanos("com.sun.management.NoSuchBean"));
        // where it is present the lookup works (this JDK has it)
        assertTrue(EmpiricalBenchmark.processCpuNanos(EmpiricalBenchmark.CPU_BEAN) >= 0);
    }

    @Test
    void threadCountsAreCheckedBeforeTheMemoryNeed() {
        InvalidInputException low = assertThrows(InvalidInputException.class,
                () -> EmpiricalBenchmark.bytesNeeded(NET, 64, 10, 1024, -1));
        assertTrue(low.getMessage().contains("threads must be at least 1"), low.getMessage());
        InvalidInputException high = assertThrows(InvalidInputException.class,
                () -> EmpiricalBenchmark.bytesNeeded(NET, 64, 10, 1024, 100_000));
        assertTrue(high.getMessage().contains("threads must be at most " + Workers.MAX_THREADS), high.getMessage());
        assertTrue(EmpiricalBenchmark.bytesNeeded(NET, 64, 10, 1024, 2) > 0);
    }

    @Test
    void keptSamplesCountInTheMemoryNeed() {
        // 2·10⁹ networks keep 2·10⁹ samples: the estimate must say so (it once said 461 KiB)
        long need = EmpiricalNtk.of(NET).withThreads(2).bytesNeeded(2, 2, 64, 2_000_000_000);
        assertTrue(need > 2_000_000_000L * 100, "need " + need);
    }
}
