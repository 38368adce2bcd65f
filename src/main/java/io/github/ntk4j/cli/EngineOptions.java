package io.github.ntk4j.cli;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.internal.Messages;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --engine local|spark} and {@code --master URL} of {@code gram}, {@code classify},
 * {@code regress} and {@code predict}. The local engine is this JVM. The Spark engine lives in
 * the separate artifact {@code ntk4j-spark.jar} (package {@code io.github.ntk4j.spark}, with
 * Apache Spark as a provided dependency) and is looked up by name, so that neither Spark nor the
 * engine is in the library or in the CLI jar; without them {@code --engine spark} is refused
 * with one line saying how to run it (docs/SPARK.md).
 */
public final class EngineOptions {
    /** The Spark engine's entry point, called by reflection: {@code static int run(String, List, PrintWriter, PrintWriter)}. */
    static final String SPARK_ENTRY = "io.github.ntk4j.spark.SparkCommands";

    /** How to run with Spark, for the refusal. */
    static final String HOW = "build it with 'mvn package' and run 'spark-submit --class io.github.ntk4j.spark.Main "
            + "target/ntk4j-spark.jar COMMAND --engine spark ...', or bin/ntk4j-spark COMMAND --engine spark ... "
            + "(docs/SPARK.md)";

    /** The engines. */
    enum Engine { local, spark }

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
            description = "local (this JVM) or spark (Apache Spark, the ntk4j-spark jar: docs/SPARK.md). "
                    + "Default: ${DEFAULT-VALUE}.")
    Engine engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "--engine spark: the Spark master (spark://HOST:PORT, local[N], ...; default: local[*], Spark "
                    + "inside this JVM).")
    String master;

    @Option(names = "--partitions", paramLabel = "P",
            description = "--engine spark: minimum partitions of the input (default: Spark's).")
    Integer partitions;

    @Option(names = "--block-rows", paramLabel = "B",
            description = "--engine spark, gram: rows (and columns) per block of the Gram matrix (default: 512).")
    Integer blockRows;

    /** @return --partitions, 0 when not given */
    public int partitions() {
        return partitions == null ? 0 : partitions;
    }

    /** @return --block-rows, 512 when not given */
    public int blockRows() {
        return blockRows == null ? 512 : blockRows;
    }

    /** @return --master, or null when not given */
    public String master() {
        return master;
    }

    /** @return whether --engine spark was given */
    public boolean isSpark() {
        return engine == Engine.spark;
    }

    /** @return whether the command runs on Spark (refuses --master without it) */
    boolean spark() {
        if (engine != Engine.spark) {
            if (master != null) {
                throw Messages.badOption("--master", "it selects a Spark cluster: give --engine spark with it");
            }
            if (partitions != null || blockRows != null) {
                throw Messages.badOption(partitions != null ? "--partitions" : "--block-rows",
                        "it is an option of the Spark engine: give --engine spark with it");
            }
        }
        return engine == Engine.spark;
    }

    /**
     * Runs the command line of {@code spec} on the Spark engine.
     *
     * @param spec the (sub)command as parsed
     * @throws InvalidInputException when Spark or the engine is not on the class path
     */
    void runOnSpark(CommandSpec spec) {
        Method run;
        try {
            ClassLoader loader = EngineOptions.class.getClassLoader();
            Class.forName("org.apache.spark.SparkContext", false, loader);
            run = Class.forName(SPARK_ENTRY, true, loader).getMethod("run", String.class, List.class, PrintWriter.class,
                    PrintWriter.class);
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
            throw Messages.badOption("--engine", "spark needs Apache Spark and the ntk4j-spark jar on the class path, which "
                    + "this run does not have: " + HOW);
        }
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        List<String> args = new ArrayList<>(all.subList(at + 1, all.size()));
        try {
            run.invoke(null, spec.name(), args, spec.commandLine().getOut(), spec.commandLine().getErr());
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(t);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
