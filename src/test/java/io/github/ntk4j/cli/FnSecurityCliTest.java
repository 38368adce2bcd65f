package io.github.ntk4j.cli;

import static io.github.ntk4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Security: the text inside {@code fn("…")} is a language, refused before anything
 * evaluates it when it leaves the language (docs/EXPRESSIONS.md). Every hostile expression gets
 * exit 2 and one line that names the offending token and carries nothing of the environment.
 */
class FnSecurityCliTest {

    /** What the environment would give away: PATH, home, temp directory, user name. */
    private static List<String> secrets() {
        List<String> s = new ArrayList<>();
        for (String v : new String[] {System.getenv("PATH"), System.getProperty("user.home"), System.getProperty("java.io.tmpdir")}) {
            if (v != null && v.length() > 1) {
                s.add(v);
            }
        }
        return s;
    }

    private static void refused(String[] args, String mustContain) {
        CliTest.Run r = run(args);
        String what = String.join(" ", args);
        assertEquals(2, r.code(), what + " -> " + r.err());
        assertEquals("", r.out(), what);
        assertEquals(1, r.err().strip().lines().count(), what + " -> " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertTrue(r.err().contains(mustContain), what + " -> " + r.err());
        assertTrue(r.err().length() < 600, r.err());
        for (String secret : secrets()) {
            assertFalse(r.err().contains(secret), what + " leaks " + secret);
        }
        String user = System.getProperty("user.name");
        if (user != null && !user.isEmpty()) {
            assertFalse(Pattern.compile("\\b" + Pattern.quote(user) + "\\b").matcher(r.err()).find(), what + " leaks the user name");
        }
    }

    private static void kernelRefuses(String expression, String mustContain) {
        refused(new String[] {"kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", "dense(1,0) fn(\"" + expression + "\") dense(1,0)"},
                mustContain);
    }

    /** nngp and ntk of kernel --format json. */
    @SuppressWarnings("unchecked")
    private static double[] kernel(String net) {
        CliTest.Run r = run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", net, "--format", "json");
        assertEquals(0, r.code(), net + " -> " + r.err());
        java.util.Map<String, Object> m = (java.util.Map<String, Object>) io.github.ntk4j.io.Json.parse(r.out().strip());
        return new double[] {(Double) m.get("nngp"), (Double) m.get("ntk")};
    }

    @Test
    void hostileExpressionsAreRefusedBeforeEvaluation() {
        String[][] cases = {
            // reproducers
            {"ToCharacterCode($Path)", "'ToCharacterCode'"}, {"x+0*Pause(4)", "'Pause'"}, {"x+0*While(True,1)", "'While'"},
            {"Nest(#^2&,2,40)", "'Nest'"}, {"x+0*Set(xy,0)", "'Set'"}, {"x*RandomReal()", "'RandomReal'"},
            {"x+$a", "'$a'"}, {"$Version", "'$Version'"},
            // environment, clock and memory symbols
            {"$Path", "'$Path'"}, {"x+0*$UserName", "'$UserName'"}, {"$HomeDirectory", "'$HomeDirectory'"},
            {"x*$TemporaryDirectory", "'$TemporaryDirectory'"}, {"x+$SystemMemory", "'$SystemMemory'"},
            {"x+0*AbsoluteTime()", "'AbsoluteTime'"}, {"x+$MachineEpsilon", "'$MachineEpsilon'"},
            {"x+0*MemoryInUse()", "'MemoryInUse'"}, {"x+0*Environment(x)", "'Environment'"},
            // loops
            {"Do(x,100000000)", "'Do'"}, {"For(i=0,True,i++)", "'For'"}, {"x+0*Pause[1000]", "'Pause'"},
            {"NestList(x,x,99)", "'NestList'"}, {"FixedPoint(x,x)", "'FixedPoint'"},
            // assignments
            {"Set(x,1)", "'Set'"}, {"x=1", "'='"}, {"x:=1", "':='"}, {"SetDelayed(xy,0)", "'SetDelayed'"},
            {"x+0*Clear(xy)", "'Clear'"}, {"Unprotect(Sin)", "'Unprotect'"},
            // random functions: fn is deterministic
            {"x*RandomInteger(9)", "'RandomInteger'"}, {"x*RandomVariate(x)", "'RandomVariate'"}, {"x*RandomChoice(x)", "'RandomChoice'"},
            // files, processes, Java, network
            {"ReadString(x)", "'ReadString'"}, {"Import(x)", "'Import'"}, {"Export(x,x)", "'Export'"}, {"Run(x)", "'Run'"},
            {"RunProcess(x)", "'RunProcess'"}, {"JavaNew(x)", "'JavaNew'"}, {"LoadJavaClass(x)", "'LoadJavaClass'"},
            {"URLFetch(x)", "'URLFetch'"}, {"Get(x)", "'Get'"}, {"x+0*FromCharacterCode({104,105})", "'FromCharacterCode'"},
            // comments, strings, escapes, code
            {"x(*\\u000aSystem.out.println(\\u0022INJECTED\\u0022);//*)", "'(*'"}, {"x*)", "')'"}, {"x/*1*/", "'*' at character 3"},
            {"x//1", "'/'"}, {"x\\u000a", "'\\'"}, {"x+'a'", "'''"}, {"x;System.exit(1)", "';'"}, {"{x}", "'{'"},
            {"#", "'#'"}, {"x&", "'&'"},
            // raw control and separator characters: named by code point, and the spec's echo stays one line
            {"x\n+1", "U+000A"}, {"x\r+1", "U+000D"}, {"x\u2028+1", "U+2028"}, {"x\u0000", "U+0000"},
        };
        for (String[] c : cases) {
            kernelRefuses(c[0], c[1]);
        }
    }

    @Test
    void numbersAreReadExactlyOrRefused() {
        kernelRefuses("x*1.5.5", "malformed number '1.5.5'");
        kernelRefuses("x*2.5.1e3", "malformed number");
        kernelRefuses("x*10^-400", "constant out of range");
        kernelRefuses("Sin(x)*10^400", "constant out of range");
        kernelRefuses("Tanh(x)*Exp(800)", "constant out of range");
        kernelRefuses("(x*10^300)*10^300", "constant out of range"); // the constant Symja folds: checked on its output
        // x*1.5 is 1.5 times the identity's kernel (T scales by 2.25)
        double nngp = kernel("dense(1,0.1) identity dense(1,0)")[0];
        double fnNngp = kernel("dense(1,0.1) fn(\"x*1.5\") dense(1,0)")[0];
        assertEquals(2.25 * nngp, fnNngp, 1e-13 * 2.25 * nngp);
    }

    @Test
    void deriveOutputIsNotChangedByARefusedAssignment() {
        String[] clean = {"derive", "--net", "dense(1,0) fn(\"x\") dense(1,0)", "--integrate-seconds", "0"};
        CliTest.Run before = run(clean);
        assertEquals(0, before.code(), before.err());
        refused(new String[] {"derive", "--net", "dense(1,0) fn(\"x+0*Set(xy,0)\") dense(1,0)"}, "'Set'");
        refused(new String[] {"derive", "--net", "dense(1,0) fn(\"x(*\\u000aSystem.out.println(\\u0022INJECTED\\u0022);//*)\") dense(1,0)",
            "--format", "java"}, "'(*'");
        CliTest.Run after = run(clean);
        assertEquals(before.out(), after.out());
        assertTrue(after.out().contains("xy"), after.out());
    }

    @Test
    void absAndSignWork() {
        for (String[] p : new String[][] {{"Abs(x)", "abs"}, {"Sign(x)", "sign"}}) {
            double[] a = kernel("dense(1.2,0.3) fn(\"" + p[0] + "\") dense(1,0)");
            double[] b = kernel("dense(1.2,0.3) " + p[1] + " dense(1,0)");
            for (int i = 0; i < 2; i++) {
                assertEquals(b[i], a[i], 1e-12 * Math.abs(b[i]), p[0]);
            }
        }
        kernelRefuses("Abs(Sin(x))", "affine argument");
    }
}
