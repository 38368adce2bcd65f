package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pathkernel} and {@code train --init/--save-weights} end to end: JSON shape, weights round trip, bad input. */
class PathKernelCommandTest {
    @TempDir
    Path dir;

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    @SuppressWarnings("unchecked")
    @Test
    void jsonHasTheDocumentedKeysAndTheMachineIsTheNetwork() throws IOException {
        Path saved = dir.resolve("w.json");
        CliTest.Run r = run("pathkernel", "--activation", "relu", "--depth", "1", "--width", "24", "--steps", "8", "--lr", "0.2",
                "--format", "json", "--save-weights", saved.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out().strip());
        for (String k : new String[] {"network_output", "kernel_machine_output", "max_relative_gap",
            "naive_max_relative_gap", "path_kernel", "coefficients", "bias", "ntk_distance"}) {
            assertTrue(root.containsKey(k), k);
        }
        List<Double> f = (List<Double>) root.get("network_output");
        List<Double> machine = (List<Double>) root.get("kernel_machine_output");
        List<Double> bias = (List<Double>) root.get("bias");
        List<List<Double>> kp = (List<List<Double>>) root.get("path_kernel");
        List<List<Object>> a = (List<List<Object>>) root.get("coefficients");
        assertEquals(16, f.size());
        assertEquals(16, kp.size());
        assertEquals(16, kp.get(0).size());
        for (int x = 0; x < f.size(); x++) {
            // the kernel machine recomputed here from the printed coefficients, kernel and bias
            double s = bias.get(x);
            for (int i = 0; i < kp.get(x).size(); i++) {
                s += (Double) a.get(x).get(i) * kp.get(x).get(i);
            }
            double change = Math.abs(f.get(x) - bias.get(x));
            assertEquals(f.get(x), s, 1e-9 * change);
            assertEquals(f.get(x), machine.get(x), 1e-10 * change);
        }
        assertTrue((Double) root.get("max_relative_gap") <= 1e-10);
        assertTrue((Double) root.get("naive_max_relative_gap") > 1e-4);
        // the trained weights read back: training them 0 more steps gives the same outputs
        assertTrue(Files.readString(saved).startsWith("{\"parameterization\": \"ntk\", \"layers\": [{\"W\": [["));
        CliTest.Run again = run("train", "--activation", "relu", "--depth", "1", "--init", saved.toString(), "--steps", "1",
                "--format", "json");
        assertEquals(0, again.code(), again.err());
        Map<String, Object> t = (Map<String, Object>) Json.parse(again.out().strip());
        assertEquals(24.0, t.get("width"));
        // the loss at the saved weights is the path-kernel run's final loss
        List<Double> losses = (List<Double>) root.get("losses");
        assertEquals(losses.get(losses.size() - 1), (Double) t.get("initial_loss"), 1e-12);
    }

    @Test
    void badWeightsAreOneLineAndExitTwo() throws IOException {
        Path w = dir.resolve("w.json");
        CliTest.Run save = run("train", "--activation", "relu", "--depth", "1", "--width", "8", "--steps", "1", "--save-weights",
                w.toString());
        assertEquals(0, save.code(), save.err());
        CliTest.Run deeper = run("pathkernel", "--activation", "relu", "--depth", "2", "--init", w.toString());
        assertEquals(2, deeper.code());
        assertTrue(deeper.err().contains("the weights have 2 Dense layers"), deeper.err());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"parameterization\": \"ntk\", \"layers\": [{\"W\": [[1, 2], [3]], \"b\": [0, 0]}]}");
        CliTest.Run ragged = run("pathkernel", "--init", bad.toString());
        assertEquals(2, ragged.code());
        assertTrue(ragged.err().contains("layer 1: W row 2 has 1 columns, row 1 has 2"), ragged.err());
        Files.writeString(bad, "{\"parameterization\": \"ntk\", \"layers\": [{\"W\": [[1, 2]], \"b\": [0]}]}");
        CliTest.Run shape = run("pathkernel", "--activation", "relu", "--depth", "0", "--init", bad.toString());
        assertEquals(0, shape.code(), shape.err()); // a linear model: 1x2 readout fits 2-d inputs
        Files.writeString(bad, "{\"parameterization\": \"ntk\", \"layers\": [{\"W\": [[1, 2, 3]], \"b\": [0]}]}");
        CliTest.Run wrong = run("pathkernel", "--activation", "relu", "--depth", "0", "--init", bad.toString());
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("W is 1x3, the network needs 1x2"), wrong.err());
        CliTest.Run width = run("pathkernel", "--activation", "relu", "--depth", "1", "--width", "16", "--init", w.toString());
        assertEquals(2, width.code());
        assertTrue(width.err().contains("16 does not match the width 8"), width.err());
        CliTest.Run sign = run("pathkernel", "--activation", "sign", "--steps", "2");
        assertEquals(2, sign.code());
        assertTrue(sign.err().contains("continuous"), sign.err());
        assertEquals(1, sign.err().strip().lines().filter(l -> l.contains("error")).count());
    }
}
