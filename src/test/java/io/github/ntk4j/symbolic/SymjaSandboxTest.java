package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox Symja evaluates fn expressions in (docs/EXPRESSIONS.md): its switches, its second
 * whitelist, its fresh context, its time limit, and the logging set-up that leaves a host's
 * Log4j alone.
 */
class SymjaSandboxTest {
    @TempDir
    Path dir;

    @Test
    void fileJavaAndCompilerSwitchesAreOffAndHold() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "SECRET-CONTENT-4711");
        String path = secret.toString().replace("\\", "/");
        // even without the whitelist, in the sandboxed engine the file and Java functions stay unevaluated
        String[] inputs = {"ReadString[\"" + path + "\"]", "Import[\"" + path + "\"]", "Get[\"" + path + "\"]",
            "ReadList[\"" + path + "\"]", "JavaNew[\"java.io.File\",\"" + path + "\"]", "LoadJavaClass[\"java.lang.System\"]",
            "OpenRead[\"" + path + "\"]"};
        for (String in : inputs) {
            String r = SymjaSandbox.evaluateUnchecked(in, 30);
            assertFalse(r.contains("SECRET-CONTENT"), in + " -> " + r);
            String head = in.substring(0, in.indexOf('[')).toLowerCase(Locale.ROOT);
            assertTrue(r.toLowerCase(Locale.ROOT).startsWith(head + "(") || (head.equals("get") && r.startsWith("<<")),
                    in + " -> " + r);
        }
        assertTrue(SymjaSandbox.switchesOff());
        // what a sandbox wrote to a file would be there: nothing is
        SymjaSandbox.evaluateUnchecked("WriteString[\"" + dir.resolve("w.txt").toString().replace("\\", "/") + "\",\"x\"]", 30);
        assertFalse(Files.exists(dir.resolve("w.txt")));
    }

    @Test
    void theSecondWhitelistRefusesWhatTheRendererNeverWrites() {
        // Symja's own parse of the text it is given must be in the language, or nothing is evaluated;
        // URLFetch has no switch in Symja 3.0.0, so this (and the first whitelist) is what keeps it out
        String[] hostile = {"URLFetch[\"http://127.0.0.1:9/\"]", "ReadString[\"/etc/passwd\"]", "$Path", "xy=5", "x+y",
            "RandomReal[]", "Pause[4]", "While[True,1]", "JavaNew[\"java.io.File\",\"/\"]", "FromCharacterCode[{104}]",
            "Function[x]", "x&", "\"text\"", "1.5*x", "Sin[x,2]", "D[x,x]"};
        for (String h : hostile) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> SymjaSandbox.forms(h), h);
            assertTrue(e.getMessage().contains("outside the fn language; nothing was evaluated"), h + " -> " + e.getMessage());
        }
        SymjaSandbox.Forms ok = SymjaSandbox.forms("((x*Sin[x])+((1/4)*(x^2)))");
        for (double x = -2; x <= 2; x += 0.5) {
            assertEquals(Math.sin(x) + x * Math.cos(x) + x / 2, SymjaActivationFactory.compile(ExprParser.parse(ok.derivative()))
                    .applyAsDouble(x), 1e-15 * (1 + Math.abs(x)));
        }
    }

    @Test
    void eachEvaluationHasAFreshContext() {
        assertEquals("5", SymjaSandbox.evaluateUnchecked("xy=5", 30));
        assertEquals("1+xy", SymjaSandbox.evaluateUnchecked("xy+1", 30));
        // and the process-wide session of derive never sees it either
        assertEquals("1+xy", SymjaSession.shared().eval("xy+1"));
    }

    @Test
    void aLoopIsStoppedAtTheTimeLimit() {
        for (String loop : new String[] {"While[True,1]", "Pause[30]"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> SymjaSandbox.evaluateUnchecked(loop, 1));
            assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
        }
    }

    @Test
    void derivativesAlmostEverywhere() {
        SymjaSandbox.Forms f = SymjaSandbox.forms("((x*Sign[x])+Abs[((2*x)-1)])");
        for (double x : new double[] {-1.5, -0.2, 0.3, 0.7, 2}) {
            assertEquals(Math.signum(x) + 2 * Math.signum(2 * x - 1), SymjaActivationFactory.compile(ExprParser.parse(f.derivative()))
                    .applyAsDouble(x), 0, f.derivative());
        }
        assertEquals("0", SymjaSandbox.forms("Sign[x]").derivative());
    }

    @Test
    void logging() throws IOException {
        Map<String, String> none = Map.of();
        ClassLoader bare = new URLClassLoader(new URL[0], null);
        assertTrue(SymjaSession.quietLoggingNeeded(none::get, bare));
        assertFalse(SymjaSession.quietLoggingNeeded(Map.of("ntk4j.symja.quietLogging", "false")::get, bare));
        assertFalse(SymjaSession.quietLoggingNeeded(Map.of("log4j2.configurationFile", "l.xml")::get, bare));
        // a host with a Log4j provider of its own (a bridge such as log4j-to-slf4j) keeps it
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve("org.apache.logging.log4j.spi.Provider"), "org.example.BridgeProvider\n");
        ClassLoader bridged = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        assertFalse(SymjaSession.quietLoggingNeeded(none::get, bridged));
    }
}
