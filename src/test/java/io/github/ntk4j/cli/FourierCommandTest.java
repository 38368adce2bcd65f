package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FourierCommandTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasOneResultPerMappingAndThePlotIsWritten() throws Exception {
        Path png = dir.resolve("ff.png");
        CliTest.Run r = CliTest.run("fourier", "--grid", "64", "--features", "32", "--max-frequency", "12", "--sigmas", "2,8",
                "--depth", "2", "--format", "json", "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
        List<Map<String, Object>> rs = (List<Map<String, Object>>) m.get("results");
        assertEquals(List.of("no mapping", "fourier σ=2", "fourier σ=8"), rs.stream().map(x -> x.get("mapping")).toList());
        assertEquals(32, ((List<Object>) rs.get(0).get("eigenvalues")).size());
        assertTrue(Files.size(png) > 1000);
        byte[] head = Files.readAllBytes(png);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
    }

    @Test
    void badOptionsExitTwo() {
        assertEquals(2, CliTest.run("fourier", "--sigmas", "0").code());
        assertEquals(2, CliTest.run("fourier", "--grid", "7").code());
        assertEquals(2, CliTest.run("fourier", "--plot", "x.jpg", "--grid", "16").code());
    }
}
