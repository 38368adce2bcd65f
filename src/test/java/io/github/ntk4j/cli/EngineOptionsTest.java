package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code --engine spark} from the CLI jar, which has no Spark (the main suite runs without it):
 * one line saying how to run it, exit 2, for each command that has the option.
 */
class EngineOptionsTest {
    @Test
    void sparkWithoutSparkIsOneLineAndExitTwo() {
        String[][] lines = {
            {"gram", "--engine", "spark", "--input", "x.csv", "--output", "k"},
            {"classify", "--engine", "spark", "--data", "x.csv"},
            {"regress", "--engine", "spark", "--data", "x.csv", "--master", "spark://127.0.0.1:7077"},
            {"predict", "--engine", "spark", "--solver", "falkon", "--train", "x", "--targets", "y", "--test", "z"},
        };
        for (String[] a : lines) {
            CliTest.Run r = CliTest.run(a);
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("spark-submit --class io.github.ntk4j.spark.Main target/ntk4j-spark.jar"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void masterWithoutSparkEngineIsRefused() {
        CliTest.Run r = CliTest.run("gram", "--input", "x.csv", "--master", "local[2]");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--engine spark"), r.err());
        CliTest.Run bad = CliTest.run("gram", "--input", "x.csv", "--engine", "flink");
        assertEquals(2, bad.code(), bad.err());
    }
}
