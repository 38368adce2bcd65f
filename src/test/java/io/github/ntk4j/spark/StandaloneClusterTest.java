package io.github.ntk4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.FalkonRegressor;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster: a Spark Master and two Workers, each its own JVM started from the
 * Maven jars (a SPARK_HOME whose jars/ links to them), the Workers launching their executors as
 * further JVMs. The Gram and FALKON computed there equal the single-machine results, and a job
 * during which an executor is killed (SIGKILL) gives the same result after Spark's retry.
 */
class StandaloneClusterTest {
    @TempDir
    static Path dir;

    static final List<Process> DAEMONS = new ArrayList<>();
    /** JVM options for short-lived small JVMs on a shared 2-core machine: start fast, little GC work. */
    static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static SparkSession spark;
    static JavaSparkContext sc;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Process daemon(String name, List<String> args, Path home) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(FAST_START);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect"))
                .collect(Collectors.toList()));
        cmd.add("-cp");
        cmd.add(home.resolve("jars") + File.separator + "*");
        cmd.add(name);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name.substring(name.lastIndexOf('.') + 1) + DAEMONS.size() + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        DAEMONS.add(p);
        return p;
    }

    @BeforeAll
    static void cluster() throws Exception {
        // a Spark installation made of the Maven jars: SPARK_HOME/jars/*
        Path home = dir.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        String cp = Files.readString(Path.of("target", "spark-classpath.txt")).strip();
        List<String> jars = new ArrayList<>(Arrays.asList(cp.split(File.pathSeparator)));
        // Spark's own ANTLR (not in the class path file), as in this JVM
        jars.add(Path.of(org.antlr.v4.runtime.Lexer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (String jar : jars) {
            Path j = Path.of(jar);
            Files.createSymbolicLink(home.resolve("jars").resolve(j.getFileName()), j);
        }
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        daemon("org.apache.spark.deploy.master.Master", List.of("--host", "127.0.0.1", "--port", "" + port,
                "--webui-port", "" + freePort()), home);
        for (int w = 0; w < 2; w++) {
            Path work = Files.createDirectories(dir.resolve("work" + w));
            daemon("org.apache.spark.deploy.worker.Worker", List.of("--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
                    "--webui-port", "" + freePort(), "--work-dir", work.toString(), master), home);
        }
        String classes = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + Path.of("target", "test-classes").toAbsolutePath();
        long end = System.currentTimeMillis() + 60_000;
        while (true) { // wait for the master to listen
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (System.currentTimeMillis() > end) {
                    throw new IllegalStateException("the Spark master did not start: " + Files.readString(dir.resolve("Master0.log")));
                }
                Thread.sleep(200);
            }
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("ntk4j cluster test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.executor.memory", "512m")
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", "2")
                .set("spark.executor.extraClassPath", classes)
                .set("spark.executor.extraJavaOptions", String.join(" ", FAST_START));
        spark = SparkSession.builder().config(conf).getOrCreate();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        end = System.currentTimeMillis() + 90_000;
        while (sc.sc().statusTracker().getExecutorInfos().length < 3) { // the driver and two executors
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("two executors did not register");
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        for (Process p : DAEMONS) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    static double[][] data(int n, int d, long seed) {
        return io.github.ntk4j.TestData.gaussianRows(n, d, seed);
    }

    static final Network NET = Network.fullyConnected(NetworkSpec.parseActivation("relu"), 3, 1.4, 0.1);

    /** The executors are separate JVMs (process ids other than this one's). */
    static long[] executorPids() {
        List<Long> pids = sc.parallelize(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8), 8)
                .map(i -> ProcessHandle.current().pid()).distinct().collect();
        return pids.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void gramOnTheClusterEqualsOneMachine() {
        long[] pids = executorPids();
        assertEquals(2, pids.length, "two executor JVMs");
        for (long p : pids) {
            assertTrue(p != ProcessHandle.current().pid());
        }
        double[][] x = data(150, 4, 1);
        double[][] y = data(70, 4, 2);
        String out = dir.resolve("gram").toString();
        SparkGram.Summary s = SparkGram.write(spark, sc.parallelize(Arrays.asList(x), 3), sc.parallelize(Arrays.asList(y), 2),
                KernelSource.of(NET), KernelKind.NTK, 40, out);
        // 3 partitions of 50 rows: blocks of 40 + 10 rows each; 2 partitions of 35: one block each
        assertEquals(6 * 2, s.blocks());
        double[][] got = SparkGram.read(spark, out);
        double[][] want = NtkRecursion.of(NET).cross(x, y, KernelKind.NTK);
        assertClose(want, got, 1e-12);
    }

    @Test
    void falkonOnTheClusterEqualsOneMachine() {
        int n = 400;
        double[][] x = data(n, 3, 3);
        double[][] y = new double[n][1];
        List<SparkFalkon.Example> ex = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            y[i][0] = Math.cos(x[i][0]) * x[i][1];
            ex.add(new SparkFalkon.Example(i, x[i], y[i]));
        }
        for (int its : new int[] {2, 6}) {
            FalkonRegressor local = FalkonRegressor.fit(NtkRecursion.of(NET), KernelKind.NTK, x, y, FalkonRegressor.Options.ridge(0.3).withCentres(40).withIterations(its).withTolerance(1e-12).withSeed(5));
            SparkFalkon.Model m = SparkFalkon.fit(sc, sc.parallelize(ex, 4), KernelSource.of(NET), KernelKind.NTK, 40, 0.3, its,
                    1e-12, 5, 1);
            assertEquals(local.iterations(), m.iterations());
            assertClose(new double[][] {local.coefficients()}, new double[][] {m.alpha()}, 1e-10);
        }
    }

    @Test
    void executorKilledDuringAJobSameResult() throws Exception {
        double[][] x = data(600, 4, 4);
        List<SparkFalkon.Example> ex = new ArrayList<>();
        double[][] y = new double[x.length][1];
        for (int i = 0; i < x.length; i++) {
            y[i][0] = Math.sin(x[i][2]);
            ex.add(new SparkFalkon.Example(i, x[i], y[i]));
        }
        long[] pids = executorPids();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        SparkListener killer = new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart e) {
                // the 6th task of the job: the kernel blocks are being computed on both executors
                if (started.incrementAndGet() == 6 && killed.compareAndSet(false, true)) {
                    ProcessHandle.of(pids[0]).ifPresent(ProcessHandle::destroyForcibly);
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                if (!e.taskInfo().successful()) {
                    failed.incrementAndGet();
                }
            }
        };
        FalkonRegressor local = FalkonRegressor.fit(NtkRecursion.of(NET), KernelKind.NTK, x, y, FalkonRegressor.Options.ridge(0.3).withCentres(60).withIterations(6).withTolerance(1e-12).withSeed(9));
        sc.sc().addSparkListener(killer);
        SparkFalkon.Model m;
        try {
            m = SparkFalkon.fit(sc, sc.parallelize(ex, 8), KernelSource.of(NET), KernelKind.NTK, 60, 0.3, 6, 1e-12, 9, 1);
        } finally {
            sc.sc().removeSparkListener(killer);
        }
        assertTrue(killed.get(), "an executor was killed");
        assertTrue(!ProcessHandle.of(pids[0]).map(ProcessHandle::isAlive).orElse(false), "the executor JVM is gone");
        assertTrue(failed.get() > 0, "tasks were lost with the executor and run again");
        assertEquals(local.iterations(), m.iterations());
        assertClose(new double[][] {local.coefficients()}, new double[][] {m.alpha()}, 1e-10);
    }

    static void assertClose(double[][] want, double[][] got, double rel) {
        assertEquals(want.length, got.length);
        double scale = 0;
        for (double[] r : want) {
            for (double v : r) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i].length, got[i].length);
            for (int j = 0; j < want[i].length; j++) {
                assertEquals(want[i][j], got[i][j], rel * Math.max(Math.abs(want[i][j]), 1e-3 * scale), "entry " + i + "," + j);
            }
        }
    }
}
