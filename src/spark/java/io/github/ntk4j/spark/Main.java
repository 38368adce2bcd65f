package io.github.ntk4j.spark;

/**
 * The entry point of {@code target/ntk4j-spark.jar} for {@code spark-submit --class
 * io.github.ntk4j.spark.Main}: the ntk4j command line ({@link io.github.ntk4j.cli.Main}), in
 * which {@code --engine spark} now finds Spark and this engine.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args the ntk4j command line, e.g. {@code classify --engine spark --data rows.csv ...}
     */
    public static void main(String[] args) {
        io.github.ntk4j.cli.Main.main(args);
    }
}
