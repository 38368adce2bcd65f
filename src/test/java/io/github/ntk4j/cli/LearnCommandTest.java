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

class LearnCommandTest {
    @TempDir
    Path dir;

    private static final String[] SMALL_GRID = {"--depth", "1", "--w-std", "1.4", "--ridge", "1e-3,1e-1", "--folds", "3",
        "--inner-folds", "2"};

    private static String[] args(String... head) {
        String[] all = new String[head.length + SMALL_GRID.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(SMALL_GRID, 0, all, head.length, SMALL_GRID.length);
        return all;
    }

    /** Iris (examples/data): the JSON has the documented keys and one fold per outer fold. */
    @Test
    @SuppressWarnings("unchecked")
    void classifyIrisJsonAndPredict() {
        Path out = dir.resolve("p.csv");
        CliTest.Run r = CliTest.run(args("classify", "--data", "examples/data/iris.csv", "--header", "--format", "json",
                "--predict", "examples/data/iris.csv", "--output", out.toString()));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        double acc = (Double) m.get("accuracy");
        assertTrue(acc > 0.85 && acc <= 1, "iris accuracy " + acc);
        assertEquals(3, ((List<?>) m.get("folds")).size());
        assertEquals(3, ((List<?>) m.get("chosen")).size());
        assertTrue(m.containsKey("seconds"));
        assertEquals(150, ((List<?>) m.get("fold_of_row")).size());
        List<String> lines;
        try {
            lines = Files.readAllLines(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(150, lines.size());
        assertTrue(lines.stream().allMatch(s -> s.equals("0") || s.equals("1") || s.equals("2")), lines.get(0));
    }

    /**
     * The matrix-free solver on iris with one candidate: no inner cross-validation (inner score
     * null in the JSON), an accuracy a kernel classifier reaches on iris; refusals of a finite
     * time and an unknown solver.
     */
    @Test
    @SuppressWarnings("unchecked")
    void classifyIrisWithFalkon() {
        CliTest.Run r = CliTest.run("classify", "--data", "examples/data/iris.csv", "--header", "--folds", "3", "--depth", "1",
                "--w-std", "1.4", "--ridge", "1e-2", "--solver", "falkon", "--centres", "40", "--format", "json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        double acc = (Double) m.get("accuracy");
        assertTrue(acc > 0.85 && acc <= 1, "iris accuracy " + acc);
        for (Object c : (List<?>) m.get("chosen")) {
            assertTrue(((Map<String, Object>) c).containsKey("inner_accuracy"), c.toString());
            assertEquals(null, ((Map<String, Object>) c).get("inner_accuracy"), c.toString());
        }
        CliTest.Run text = CliTest.run("classify", "--data", "examples/data/iris.csv", "--header", "--folds", "3", "--depth",
                "1", "--w-std", "1.4", "--ridge", "1e-2", "--solver", "falkon", "--centres", "40");
        assertTrue(text.out().contains("(FALKON, 40 centres)") && text.out().contains("hyperparameters as given"),
                text.out());
        CliTest.Run finite = CliTest.run("classify", "--data", "examples/data/iris.csv", "--header", "--solver", "falkon",
                "--time", "1");
        assertEquals(2, finite.code(), finite.err());
        assertTrue(finite.err().contains("t = inf predictor only"), finite.err());
        CliTest.Run bogus = CliTest.run("classify", "--data", "examples/data/iris.csv", "--header", "--solver", "lu");
        assertEquals(2, bogus.code(), bogus.err());
        assertTrue(bogus.err().contains("--solver must be dense or falkon, got lu"), bogus.err());
    }

    @Test
    void regressTextAndConstantColumn() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            double a = Math.sin(i);
            double b = Math.cos(3 * i);
            sb.append(a).append(",7,").append(b).append(',').append(2 * a - b).append('\n');
        }
        Path f = dir.resolve("r.csv");
        Files.writeString(f, sb.toString());
        // a constant column is refused by default (one line, exit 2) …
        CliTest.Run refused = CliTest.run(args("regress", "--data", f.toString()));
        assertEquals(2, refused.code(), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains("feature column 2 has the value 7.0 in all 30 rows"), refused.err());
        assertTrue(refused.err().contains("--drop-constant"), refused.err());
        // … and set to 0, with a note, when asked
        CliTest.Run r = CliTest.run(args("regress", "--data", f.toString(), "--drop-constant"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rmse"), r.out());
        assertTrue(r.err().contains("feature column 2 is constant"), r.err());
    }

    @Test
    void badInputIsOneLineAndExit2() throws IOException {
        Path nonNumeric = dir.resolve("a.csv");
        Files.writeString(nonNumeric, "1,2,a\n3,x,b\n");
        Path missing = dir.resolve("b.csv");
        Files.writeString(missing, "1,2,a\n3,4,\n");
        Path few = dir.resolve("c.csv");
        Files.writeString(few, "1,a\n2,a\n3,a\n4,a\n5,b\n");
        String[][] cases = {
            {nonNumeric.toString(), "row 2, column 2: 'x' is not a number"},
            {missing.toString(), "row 2, column 3: the label is missing"},
            {few.toString(), "class 'b' has 1 member, fewer than the 3 folds"},
        };
        for (String[] c : cases) {
            CliTest.Run r = CliTest.run(args("classify", "--data", c[0]));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(c[1]), r.err());
            assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("ntk4j")).count(), r.err());
        }
    }

    /** --net with --grid cross-validates any network; the chosen placeholders appear in text and JSON. */
    @Test
    @SuppressWarnings("unchecked")
    void classifyWithNetTemplateAndGrid() {
        CliTest.Run r = CliTest.run("classify", "--data", "examples/data/iris.csv", "--header", "--folds", "3",
                "--inner-folds", "2", "--net", "dense({w},{b}) residual(gelu dense({w},0)) layernorm dense(1,0)",
                "--grid", "w=1,2", "--grid", "b=0,0.1", "--ridge", "1e-2", "--format", "json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        assertTrue((Double) m.get("accuracy") > 0.85, r.out());
        for (Object c : (List<?>) m.get("chosen")) {
            Map<String, Object> cm = (Map<String, Object>) c;
            assertTrue(cm.containsKey("w") && cm.containsKey("b"), cm.toString());
        }
        CliTest.Run text = CliTest.run("classify", "--data", "examples/data/iris.csv", "--header", "--folds", "3",
                "--inner-folds", "2", "--net", "dense({w},0.1) relu dense(1,0)", "--grid", "w=1,2", "--ridge", "1e-2");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("family    dense({w},0.1) relu dense(1,0): kernel=ntk w=1,2"), text.out());
        assertTrue(text.out().matches("(?s).*ntk w=[12] ridge=0\\.01.*"), text.out());
        CliTest.Run unbound = CliTest.run("classify", "--data", "examples/data/iris.csv", "--header", "--net",
                "dense({w},{b}) relu dense(1,0)", "--grid", "w=1");
        assertEquals(2, unbound.code(), unbound.err());
        assertTrue(unbound.err().contains("{b}"), unbound.err());
        CliTest.Run mixed = CliTest.run("classify", "--data", "examples/data/iris.csv", "--header", "--net",
                "dense(1,0) relu dense(1,0)", "--depth", "2");
        assertEquals(2, mixed.code(), mixed.err());
        assertTrue(mixed.err().contains("--depth"), mixed.err());
    }
}
