package io.github.ntk4j.spark;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.cli.EngineOptions;
import io.github.ntk4j.cli.NetworkOptions;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * The {@code --engine spark} forms of {@code gram}, {@code classify}, {@code regress} and
 * {@code predict --solver falkon}, called by the CLI ({@code cli.EngineOptions}) with the
 * command's arguments. Each parses them (its options are docs/SPARK.md's), opens the session
 * ({@code --master}, default local[*]) and runs {@link SparkGram} or {@link SparkFalkon}.
 */
public final class SparkCommands {
    private SparkCommands() {
    }

    /**
     * Runs one command on Spark. Failures are thrown (the CLI prints one line and maps the exit code).
     *
     * @param command gram, classify, regress or predict
     * @param args its arguments
     * @param out standard output
     * @param err standard error
     */
    public static void run(String command, List<String> args, PrintWriter out, PrintWriter err) {
        Callable<Void> c = switch (command) {
            case "gram" -> new Gram();
            case "classify" -> new Learn(true);
            case "regress" -> new Learn(false);
            case "predict" -> new Predict();
            default -> throw Messages.invalid(command + " has no Spark engine (gram, classify, regress, predict --solver falkon)");
        };
        CommandLine cl = new CommandLine(c);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cl.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw Messages.invalid("--engine spark: " + e.getMessage());
        }
        ((Base) c).out = out;
        ((Base) c).err = err;
        try {
            c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options every Spark command has. */
    abstract static class Base implements Callable<Void> {
        PrintWriter out;
        PrintWriter err;
        int partitions;

        @Mixin
        EngineOptions engine;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json.")
        String format;

        SparkSession session(String app) {
            if (!format.equals("text") && !format.equals("json")) {
                throw Messages.badChoice("--format", format, "text or json");
            }
            partitions = engine.partitions();
            if (partitions < 0) {
                throw Messages.tooSmall("--partitions", partitions, 0);
            }
            return Sessions.open(engine.master(), app);
        }

        void print(Map<String, Object> o) {
            if (format.equals("json")) {
                StringBuilder sb = new StringBuilder("{");
                for (Map.Entry<String, Object> e : o.entrySet()) {
                    sb.append(sb.length() > 1 ? ", " : "").append('"').append(e.getKey()).append("\": ");
                    Object v = e.getValue();
                    if (v instanceof Number || v instanceof Boolean || v == null) {
                        sb.append(v instanceof Double dd && !Double.isFinite(dd) ? "null" : String.valueOf(v));
                    } else {
                        sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                    }
                }
                out.println(sb.append('}'));
            } else {
                for (Map.Entry<String, Object> e : o.entrySet()) {
                    out.println(String.format(Locale.ROOT, "%-22s %s", e.getKey(), e.getValue()));
                }
            }
            out.flush();
        }

        /** Refuses an output directory that exists (nothing is overwritten or half-written). */
        static void checkNew(SparkSession s, String output, String option) {
            try {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(output);
                FileSystem fs = p.getFileSystem(s.sparkContext().hadoopConfiguration());
                if (fs.exists(p)) {
                    throw Messages.badOption(option, output + " exists: the Spark engine writes a new directory");
                }
            } catch (java.io.IOException e) {
                throw Messages.badOption(option, output + ": " + e.getMessage());
            }
        }
    }

    /** {@code gram --engine spark}. */
    @Command(name = "gram")
    static final class Gram extends Base {
        @Option(names = "--input", required = true) String input;
        @Option(names = "--input2") String input2;
        @Option(names = "--kernel", defaultValue = "ntk") String kernel;
        @Option(names = "--output", required = true, description = "A new directory: Parquet blocks.") String output;
        @Mixin NetworkOptions network;

        @Override
        public Void call() {
            KernelKind kind = KernelKind.parse(kernel);
            KernelSource src = KernelSource.of(network.network());
            SparkSession s = session("gram");
            try {
                checkNew(s, output, "--output");
                long t0 = System.nanoTime();
                JavaRDD<double[]> x = SparkData.rows(s, input, false, partitions);
                JavaRDD<double[]> y = input2 == null ? null : SparkData.rows(s, input2, false, partitions);
                SparkGram.Summary sum = SparkGram.write(s, x, y, src, kind, engine.blockRows(), output);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("rows", sum.rows());
                o.put("cols", sum.cols());
                o.put("blocks", sum.blocks());
                o.put("output", output);
                o.put("master", s.sparkContext().master());
                o.put("seconds", (System.nanoTime() - t0) * 1e-9);
                print(o);
            } finally {
                s.stop();
            }
            return null;
        }
    }

    /** {@code classify|regress --engine spark}: one FALKON fit of the given network and ridge. */
    @Command(name = "learn")
    static final class Learn extends Base {
        final boolean classify;

        Learn(boolean classify) {
            this.classify = classify;
        }

        @Option(names = "--data", required = true) String data;
        @Option(names = "--labels", description = "IDX labels of an IDX --data.") String labels;
        @Option(names = "--header") boolean header;
        @Option(names = "--label-column", defaultValue = "last") String labelColumn;
        @Option(names = "--test-data") String testData;
        @Option(names = "--test-labels") String testLabels;
        @Option(names = "--kernel", defaultValue = "ntk") String kernel;
        @Option(names = "--activation", defaultValue = "relu") String activation;
        @Option(names = "--depth", defaultValue = "2") String depth;
        @Option(names = "--w-std", defaultValue = "1.4") String wStd;
        @Option(names = "--b-std", defaultValue = "0.1") String bStd;
        @Option(names = "--ridge", defaultValue = "1e-3") String ridge;
        @Option(names = "--solver", defaultValue = "falkon") String solver;
        @Option(names = "--centres", defaultValue = "2000") int centres;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = "--predict") String predict;
        @Option(names = "--output") String output;
        /** FALKON's iteration limit and tolerance: those of the single-machine classify and regress. */
        final int iterations = 100;
        final double tolerance = 1e-7;

        private static String one(String option, String v) {
            if (v.contains(",")) {
                throw Messages.badOption(option, "the Spark engine fits one network and ridge: give one value, got " + v);
            }
            return v.strip();
        }

        @Override
        public Void call() {
            if (!solver.equals("falkon")) {
                throw Messages.badOption("--solver", "the Spark engine solves with falkon, got " + solver);
            }
            if ((predict == null) != (output == null)) {
                throw Messages.invalid("--predict and --output go together: give both or neither");
            }
            KernelKind kind = KernelKind.parse(one("--kernel", kernel));
            double r = Double.parseDouble(one("--ridge", ridge));
            if (!(r > 0)) {
                throw Messages.notPositive("--ridge", r);
            }
            Network net = Network.fullyConnected(NetworkSpec.parseActivation(one("--activation", activation)),
                    Integer.parseInt(one("--depth", depth)), Double.parseDouble(one("--w-std", wStd)),
                    Double.parseDouble(one("--b-std", bStd)));
            KernelSource src = KernelSource.of(net);
            String name = classify ? "accuracy" : "rmse";
            SparkSession s = session(classify ? "classify" : "regress");
            try {
                if (output != null) {
                    checkNew(s, output, "--output");
                }
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(s.sparkContext());
                long t0 = System.nanoTime();
                JavaRDD<SparkData.Labelled> rows = read(s, data, labels).cache();
                SparkLearning.Prepared p = SparkLearning.prepare(rows, classify);
                JavaRDD<SparkFalkon.Example> ex = rows.zipWithIndex().map(t -> new SparkFalkon.Example(t._2(),
                        p.scale(t._1().x()), p.target(t._1().label())));
                double meanDiag = SparkLearning.meanDiagonal(ex.map(SparkFalkon.Example::x), src, kind);
                int m = (int) Math.min(centres, p.rows());
                SparkFalkon.Model model = SparkFalkon.fit(sc, ex, src, kind, m, r * meanDiag, iterations, tolerance, seed,
                        Runtime.getRuntime().availableProcessors());
                double fitSeconds = (System.nanoTime() - t0) * 1e-9;
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("rows", p.rows());
                o.put("features", p.features());
                if (classify) {
                    o.put("classes", p.classes().length);
                }
                o.put("centres", m);
                o.put("iterations", model.iterations());
                o.put("relative_residual", model.residual());
                o.put("seconds_per_iteration", model.secondsPerIteration());
                o.put("seconds_first_pass", model.targetSeconds());
                o.put("fit_seconds", fitSeconds);
                o.put("train_" + name, SparkLearning.score(sc, model, p, rows));
                if (testData != null) {
                    JavaRDD<SparkData.Labelled> test = read(s, testData, testLabels);
                    o.put("test_" + name, SparkLearning.score(sc, model, p, test));
                }
                if (predict != null) {
                    JavaRDD<double[]> xs = SparkData.featureRows(s, predict, header, p.features(), labelColumn,
                            partitions);
                    JavaRDD<String> lines = model.predict(sc, xs.map(p::scale)).map(p::decode);
                    lines.saveAsTextFile(output);
                    o.put("predictions", output);
                }
                o.put("master", s.sparkContext().master());
                o.put("partitions", rows.getNumPartitions());
                o.put("seconds", (System.nanoTime() - t0) * 1e-9);
                print(o);
            } finally {
                s.stop();
            }
            return null;
        }

        private JavaRDD<SparkData.Labelled> read(SparkSession s, String file, String idxLabels) {
            if (SparkData.isIdx(file)) {
                if (idxLabels == null) {
                    throw Messages.invalid(file + " is an IDX image file: give its labels (--labels or --test-labels)");
                }
                return SparkData.idxLabelled(s, file, idxLabels, partitions);
            }
            return SparkData.labelled(s, file, header, labelColumn, partitions);
        }
    }

    /** {@code predict --solver falkon --engine spark}. */
    @Command(name = "predict")
    static final class Predict extends Base {
        @Option(names = "--train", required = true) String train;
        @Option(names = "--targets", required = true) String targets;
        @Option(names = "--test", required = true) String test;
        @Option(names = "--solver", defaultValue = "falkon") String solver;
        @Option(names = "--mode", defaultValue = "ntk") String mode;
        @Option(names = "--diag-reg", required = true) double diagReg;
        @Option(names = "--centres") Integer centres;
        @Option(names = "--iterations", defaultValue = "100") int iterations;
        @Option(names = "--tolerance", defaultValue = "1e-7") double tolerance;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = "--output", description = "A new directory for the means (CSV part files); default: standard output.")
        String output;
        @Mixin NetworkOptions network;

        @Override
        public Void call() {
            if (!solver.equals("falkon")) {
                throw Messages.badOption("--solver", "the Spark engine predicts with falkon, got " + solver);
            }
            if (!mode.equals("ntk") && !mode.equals("nngp")) {
                throw Messages.badChoice("--mode", mode, "ntk or nngp (falkon)");
            }
            KernelKind kind = KernelKind.parse(mode);
            KernelSource src = KernelSource.of(network.network());
            SparkSession s = session("predict");
            try {
                if (output != null) {
                    checkNew(s, output, "--output");
                }
                JavaSparkContext sc = JavaSparkContext.fromSparkContext(s.sparkContext());
                long t0 = System.nanoTime();
                var x = SparkData.rows(s, train, false, partitions).zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
                var y = SparkData.rows(s, targets, false, partitions).zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
                long nx = x.count();
                long ny = y.count();
                if (nx != ny) {
                    throw Messages.dimensionMismatch(targets + " (rows)", (int) ny, train + " (rows)", (int) nx);
                }
                JavaRDD<SparkFalkon.Example> ex = x.join(y).map(t -> new SparkFalkon.Example(t._1(), t._2()._1(), t._2()._2()));
                int m = centres != null ? centres : (int) Math.min(nx, 2000);
                SparkFalkon.Model model = SparkFalkon.fit(sc, ex, src, kind, m, diagReg, iterations, tolerance, seed,
                        Runtime.getRuntime().availableProcessors());
                JavaRDD<double[]> xs = SparkData.rows(s, test, false, partitions);
                JavaRDD<String> lines = model.predict(sc, xs).map(v -> {
                    StringBuilder sb = new StringBuilder();
                    for (double d : v) {
                        sb.append(sb.length() == 0 ? "" : ",").append(d);
                    }
                    return sb.toString();
                });
                if (output == null) {
                    for (String l : lines.collect()) {
                        out.println(l);
                    }
                    out.flush();
                    return null;
                }
                lines.saveAsTextFile(output);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("rows", nx);
                o.put("centres", m);
                o.put("iterations", model.iterations());
                o.put("relative_residual", model.residual());
                o.put("seconds_per_iteration", model.secondsPerIteration());
                o.put("predictions", output);
                o.put("master", s.sparkContext().master());
                o.put("seconds", (System.nanoTime() - t0) * 1e-9);
                print(o);
            } finally {
                s.stop();
            }
            return null;
        }
    }

    static List<String> list(String... a) {
        return new ArrayList<>(Arrays.asList(a));
    }
}
