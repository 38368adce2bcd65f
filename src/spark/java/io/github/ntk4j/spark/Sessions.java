package io.github.ntk4j.spark;

import io.github.ntk4j.internal.Messages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Opening the Spark session of a command: the master checked first, one line when it is not there. */
final class Sessions {
    /** How long a standalone master gets to answer, and a cluster to give the first executor. */
    static final int CONNECT_MILLIS = 5000;
    static final long EXECUTOR_WAIT_MILLIS = 60_000;

    private Sessions() {
    }

    /**
     * @param master --master, or null for spark-submit's master or else local[*]
     * @param app the command
     * @return the session
     */
    static SparkSession open(String master, String app) {
        String m = master != null ? master : System.getProperty("spark.master", "local[*]");
        if (m.startsWith("spark://")) {
            requireReachable(m);
        }
        SparkConf conf = new SparkConf().setMaster(m).setAppName("ntk4j " + app);
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        String jar = ownJar();
        if (jar != null && !m.startsWith("local")) {
            conf.setIfMissing("spark.jars", jar); // java -cp ntk4j-spark.jar ...: the executors need our classes too
        }
        SparkSession s;
        try {
            s = SparkSession.builder().config(conf).getOrCreate();
        } catch (Exception e) { // Scala throws SparkException (checked) undeclared
            String why = String.valueOf(e.getMessage());
            if (why.contains("Master URL") || why.contains("master URL")) {
                throw Messages.badOption("--master", "'" + m + "' is not a Spark master URL (spark://HOST:PORT, local[N], "
                        + "local[*], yarn, k8s://...)");
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        if (m.startsWith("spark://")) {
            long end = System.currentTimeMillis() + EXECUTOR_WAIT_MILLIS;
            while (s.sparkContext().statusTracker().getExecutorInfos().length < 2) { // the driver counts as one
                if (System.currentTimeMillis() > end) {
                    s.stop();
                    throw Messages.badOption("--master", m + " gave no executor within " + EXECUTOR_WAIT_MILLIS / 1000
                            + " s (no worker with free cores and memory?)");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new io.github.ntk4j.RunInterruptedException("interrupted while waiting for executors");
                }
            }
        }
        return s;
    }

    /** Refuses a standalone master URL none of whose hosts answers. */
    static void requireReachable(String master) {
        String hosts = master.substring("spark://".length());
        String last = null;
        for (String hp : hosts.split(",")) {
            int colon = hp.lastIndexOf(':');
            String host = colon < 0 ? hp : hp.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw Messages.badOption("--master", "'" + master + "': the port of " + hp + " is not a number");
            }
            try (Socket so = new Socket()) {
                so.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
                return;
            } catch (IOException | IllegalArgumentException e) {
                last = host + ":" + port + " (" + e.getMessage() + ")";
            }
        }
        throw Messages.badOption("--master", "no Spark master answers at " + last
                + ": start it, check the URL, or leave out --master to run Spark inside this JVM (local[*])");
    }

    /** @return the jar this class was loaded from, or null (class directories: tests) */
    static String ownJar() {
        try {
            Path p = Path.of(Sessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? p.toString() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
