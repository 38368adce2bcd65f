package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.TestData;
import io.github.ntk4j.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --format csv} on the commands whose results are one table (kernel, empirical, fourier,
 * classify, regress, interpolate, pathkernel): an RFC 4180 table whose rows all have the header's
 * fields, read back here by a parser of its own, and whose numbers are those of the same run's
 * JSON (the same seed); the kernel's against the shared reference file.
 */
class CsvFormatTest {
    @TempDir
    Path dir;

    /** An RFC 4180 reader: fields split at commas outside quotes, "" inside quotes a quote. */
    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        assertTrue(row.isEmpty() && field.length() == 0, "the table ends with a line break");
        return rows;
    }

    /** The table of a csv run: every row as many fields as the header. */
    private static List<List<String>> table(CliTest.Run r, int rows) {
        assertEquals(0, r.code(), r.err());
        List<List<String>> t = parse(r.out());
        assertEquals(rows + 1, t.size(), r.out());
        for (List<String> row : t) {
            assertEquals(t.get(0).size(), row.size(), r.out());
        }
        return t;
    }

    private static String field(List<List<String>> t, int row, String column) {
        int c = t.get(0).indexOf(column);
        assertTrue(c >= 0, column + " not in " + t.get(0));
        return t.get(row + 1).get(c);
    }

    private static double number(List<List<String>> t, int row, String column) {
        return Double.parseDouble(field(t, row, column));
    }

    private static double number(Object jsonValue) {
        return ((Number) jsonValue).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(CliTest.Run r) {
        assertEquals(0, r.code(), r.err());
        return (Map<String, Object>) Json.parse(r.out().strip());
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void kernelIsAHeaderAndOneRowWithTheReferenceValues() {
        // first case of the shared reference file: relu, depth 5, W_std 0.535, b_std 0
        Map<String, Object> c = TestData.cases("/reference/kernels.json").get(0);
        List<List<String>> t = table(CliTest.run("kernel", "--x", "-1.8055", "--y", "2.665", "--activation", "relu",
                "--depth", "5", "--w-std", "0.535", "--b-std", "0", "--format", "csv"), 1);
        assertEquals(List.of("nngp", "ntk"), t.get(0));
        assertEquals(TestData.num(c, "nngp"), number(t, 0, "nngp"), 1e-12 * TestData.num(c, "nngp"));
        assertEquals(TestData.num(c, "ntk"), number(t, 0, "ntk"), 1e-12 * TestData.num(c, "ntk"));
    }

    @Test
    void empiricalHasOneRowPerKernelAsItsJson() {
        String[] args = {"empirical", "--x", "1,0.5,-0.3", "--y", "0.2,1,0.4", "--width", "64", "--samples", "4",
            "--seed", "3", "--threads", "1", "--format"};
        List<List<String>> t = table(CliTest.run(with(args, "csv")), 3);
        Map<String, Object> j = json(CliTest.run(with(args, "json")));
        String[] kernels = {"ntk", "nngp", "readout_nngp"};
        for (int k = 0; k < 3; k++) {
            assertEquals(kernels[k], field(t, k, "kernel"));
            assertEquals(number(j.get(kernels[k] + "_mean")), number(t, k, "mean"));
            assertEquals(number(j.get(kernels[k] + "_stderr")), number(t, k, "stderr"));
            assertEquals(number(j.get(k == 0 ? "ntk_exact" : "nngp_exact")), number(t, k, "exact"));
            double z = (number(t, k, "mean") - number(t, k, "exact")) / number(t, k, "stderr");
            assertEquals(z, number(t, k, "z"), 1e-12 * Math.abs(z));
            assertEquals("64", field(t, k, "width"));
            assertEquals("3", field(t, k, "seed"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void fourierHasOneRowPerMappingAsItsJsonWithTheNetworkQuoted() {
        String[] args = {"fourier", "--grid", "32", "--features", "16", "--max-frequency", "6", "--sigmas", "2", "--depth",
            "2", "--steps", "20", "--format"};
        CliTest.Run csv = CliTest.run(with(args, "csv"));
        List<List<String>> t = table(csv, 2);
        // the network spec holds commas: quoted, so that the row keeps its fields
        assertTrue(csv.out().contains(",\"dense(1.4,0.1) relu"), csv.out());
        List<Map<String, Object>> rs = (List<Map<String, Object>>) json(CliTest.run(with(args, "json"))).get("results");
        for (int i = 0; i < 2; i++) {
            assertEquals(rs.get(i).get("mapping"), field(t, i, "mapping"));
            assertEquals(rs.get(i).get("network"), field(t, i, "network"));
            assertEquals(number(rs.get(i).get("falloff_10")), number(t, i, "falloff_10"));
            // 16 training points: no 50th eigenvalue, an empty field where JSON has null
            assertEquals(null, rs.get(i).get("falloff_50"));
            assertEquals("", field(t, i, "falloff_50"));
            for (String k : new String[] {"train_mse", "test_mse", "test_mse_converged"}) {
                assertEquals(number(rs.get(i).get(k)), number(t, i, k), k);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void classifyHasOneRowPerOuterFoldAsItsJson() {
        String[] args = {"classify", "--data", "examples/data/iris.csv", "--header", "--folds", "3", "--inner-folds", "2",
            "--depth", "1", "--threads", "1", "--format"};
        List<List<String>> t = table(CliTest.run(with(args, "csv")), 3);
        assertEquals(List.of("fold", "accuracy", "test_rows", "kernel", "depth", "w_std", "b_std", "ridge", "inner_accuracy"),
                t.get(0));
        Map<String, Object> j = json(CliTest.run(with(args, "json")));
        List<Map<String, Object>> folds = (List<Map<String, Object>>) j.get("folds");
        List<Map<String, Object>> chosen = (List<Map<String, Object>>) j.get("chosen");
        int rows = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(String.valueOf(i), field(t, i, "fold"));
            assertEquals(number(folds.get(i).get("accuracy")), number(t, i, "accuracy"));
            rows += (int) number(t, i, "test_rows");
            assertEquals("1", field(t, i, "depth")); // a whole number as one
            assertEquals(number(chosen.get(i).get("ridge")), number(t, i, "ridge"));
            assertEquals(number(chosen.get(i).get("inner_accuracy")), number(t, i, "inner_accuracy"));
        }
        assertEquals(150, rows);
        // the rows' fold numbers are those of JSON's fold_of_row (0-based)
        assertEquals(0, ((List<Object>) j.get("fold_of_row")).stream().mapToInt(o -> ((Number) o).intValue()).min()
                .getAsInt());
    }

    @Test
    void classifyWithATestSetIsOneRow() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("examples/data/iris.csv"));
        List<String> train = new ArrayList<>(List.of(lines.get(0)));
        List<String> test = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            (i % 3 == 0 ? test : train).add(lines.get(i));
        }
        Path tr = Files.write(dir.resolve("train.csv"), train);
        Path te = Files.write(dir.resolve("test.csv"), test);
        String[] args = {"classify", "--data", tr.toString(), "--test-data", te.toString(), "--header", "--depth", "1",
            "--inner-folds", "2", "--threads", "1", "--format"};
        List<List<String>> t = table(CliTest.run(with(args, "csv")), 1);
        Map<String, Object> j = json(CliTest.run(with(args, "json")));
        assertEquals(number(j.get("test_accuracy")), number(t, 0, "test_accuracy"));
        assertEquals("50", field(t, 0, "test_rows"));
        assertEquals("100", field(t, 0, "training_rows"));
        assertEquals(number(j.get("validation_accuracy")), number(t, 0, "validation_accuracy"));
        // JSON's chosen is the text "ntk depth=1 w_std=1.4 b_std=0.1 ridge=0.0001": the same choice field by field
        String chosen = (String) j.get("chosen");
        assertTrue(chosen.startsWith(field(t, 0, "kernel") + " depth=" + field(t, 0, "depth") + " "), chosen);
        assertEquals(Double.parseDouble(chosen.substring(chosen.indexOf("ridge=") + 6)), number(t, 0, "ridge"), chosen);
    }

    @Test
    @SuppressWarnings("unchecked")
    void interpolateHasOneRowPerNoiseLevelOrPerKernelAndSize() {
        String[] args = {"interpolate", "--data", "examples/data/iris.csv", "--header", "--noise", "0,0.2", "--folds", "3",
            "--threads", "1", "--format"};
        List<List<String>> t = table(CliTest.run(with(args, "csv")), 2);
        List<Map<String, Object>> levels = (List<Map<String, Object>>) json(CliTest.run(with(args, "json"))).get("levels");
        for (int i = 0; i < 2; i++) {
            Map<String, Object> in = (Map<String, Object>) levels.get(i).get("interpolant");
            assertEquals(number(levels.get(i).get("noise")), number(t, i, "noise"));
            assertEquals(number(in.get("test_accuracy")), number(t, i, "interpolant_test_accuracy"));
            assertEquals(number(((Map<String, Object>) levels.get(i).get("cv_ridge")).get("ridge")), number(t, i, "ridge"));
            assertEquals(number(levels.get(i).get("bayes_consistent_error")), number(t, i, "bayes_consistent_error"));
        }
        String[] norms = {"interpolate", "--synthetic", "2", "--norm-sizes", "20,40", "--noise", "0", "--threads", "1",
            "--format"};
        List<List<String>> n = table(CliTest.run(with(norms, "csv")), 4 * 2); // 4 kernels × 2 sizes
        List<Map<String, Object>> series = (List<Map<String, Object>>) json(CliTest.run(with(norms, "json"))).get("series");
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(series.get(s).get("kernel"), field(n, 2 * s + i, "kernel"));
                assertEquals(String.valueOf(20 * (i + 1)), field(n, 2 * s + i, "n"));
                Object norm = ((List<Object>) series.get(s).get("rkhs_norm_squared")).get(i);
                assertEquals(norm == null ? "" : String.valueOf(number(norm)), norm == null ? field(n, 2 * s + i,
                        "rkhs_norm_squared") : String.valueOf(number(n, 2 * s + i, "rkhs_norm_squared")));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void pathKernelHasOneRowPerTestInputAsItsJson() {
        String[] args = {"pathkernel", "--activation", "relu", "--depth", "1", "--width", "24", "--steps", "8", "--lr", "0.2",
            "--format"};
        CliTest.Run csv = CliTest.run(with(args, "csv"));
        Map<String, Object> j = json(CliTest.run(with(args, "json")));
        List<Object> out = (List<Object>) j.get("network_output");
        List<List<String>> t = table(csv, out.size());
        double worst = 0;
        for (int i = 0; i < out.size(); i++) {
            assertEquals(String.valueOf(i), field(t, i, "input"));
            assertEquals(number(out.get(i)), number(t, i, "network_output"));
            assertEquals(number(((List<Object>) j.get("kernel_machine_output")).get(i)), number(t, i, "kernel_machine_output"));
            assertEquals(number(((List<Object>) j.get("bias")).get(i)), number(t, i, "initial_output"));
            worst = Math.max(worst, number(t, i, "relative_gap"));
        }
        // the test inputs' gaps are among those JSON's largest gap is taken over (test and train)
        assertTrue(worst <= number(j.get("max_relative_gap")), worst + " > " + j.get("max_relative_gap"));
    }

    @Test
    void csvRecordsQuoteWhatNeedsItLeaveNullEmptyAndRefuseNaN() {
        StringWriter s = new StringWriter();
        PrintWriter out = new PrintWriter(s);
        CliSupport.csv(out, "plain", "a,b", "say \"hi\"", "two\nlines", null, 1.5, 2L, true);
        out.flush();
        assertEquals("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,1.5,2,true" + System.lineSeparator(), s.toString());
        assertEquals(List.of(List.of("plain", "a,b", "say \"hi\"", "two\nlines", "", "1.5", "2", "true")),
                parse(s.toString().replace(System.lineSeparator(), "\n")));
        assertThrows(io.github.ntk4j.Ntk4jException.class, () -> CliSupport.csv(out, 1.0, Double.NaN));
        assertThrows(io.github.ntk4j.Ntk4jException.class, () -> CliSupport.csv(out, Double.NEGATIVE_INFINITY));
    }
}
