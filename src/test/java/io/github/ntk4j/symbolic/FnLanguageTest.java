package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fn language's reader (docs/EXPRESSIONS.md), without Symja: what it accepts, as which tree,
 * and that everything else is refused with one bounded line naming the offending token, before
 * anything evaluates it.
 */
class FnLanguageTest {

    private static InvalidInputException refused(String text, String mustContain) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FnLanguage.read(text), text);
        String m = e.getMessage();
        assertTrue(m.contains(mustContain), text + " -> " + m);
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.length() < 400, m);
        return e;
    }

    private static Expr num(long p, long q) {
        return new Expr.Num(BigInteger.valueOf(p), BigInteger.valueOf(q));
    }

    @Test
    void namesOutsideTheLanguageAreRefusedByName() {
        String[][] cases = {
            {"ToCharacterCode($Path)", "'ToCharacterCode'"}, {"x+$a", "'$a'"}, {"$Version", "'$Version'"},
            {"x+0*$UserName", "'$UserName'"}, {"$HomeDirectory", "'$HomeDirectory'"},
            {"$TemporaryDirectory*x", "'$TemporaryDirectory'"}, {"x*$SystemMemory", "'$SystemMemory'"},
            {"AbsoluteTime()*x", "'AbsoluteTime'"}, {"x+0*Date()", "'Date'"}, {"x+SessionTime[]", "'SessionTime'"},
            {"x+0*Pause(4)", "'Pause'"}, {"x+0*While(True,1)", "'While'"}, {"Do(x,10)", "'Do'"},
            {"For(i=0,i<9,i++)", "'For'"}, {"Nest(#^2&,2,40)", "'Nest'"}, {"x+0*Set(xy,0)", "'Set'"},
            {"SetDelayed(f,x)", "'SetDelayed'"}, {"x*RandomReal()", "'RandomReal'"}, {"RandomInteger(9)+x", "'RandomInteger'"},
            {"x*RandomVariate(x)", "'RandomVariate'"}, {"FromCharacterCode({104,105})", "'FromCharacterCode'"},
            {"ReadString(x)", "'ReadString'"}, {"Import(x)", "'Import'"}, {"Export(x,x)", "'Export'"}, {"Run(x)", "'Run'"},
            {"JavaNew(x)", "'JavaNew'"}, {"URLFetch(x)", "'URLFetch'"}, {"LoadJavaClass(x)", "'LoadJavaClass'"},
            {"Get(x)", "'Get'"}, {"x*y", "'y'"}, {"Infinity*x", "'Infinity'"}, {"I*x", "'I'"}, {"x_", "'x_'"}, {"x`y", "'x`y'"},
            {"Sin(x)+Gamma(x)", "'Gamma'"}, {"Max(x,0)", "'Max'"},
        };
        for (String[] c : cases) {
            refused(c[0], c[1] + " is not part of the fn language");
        }
        // a long name is cut, not echoed whole
        String m = refused("A" + "b".repeat(500) + "(x)", "is not part of the fn language").getMessage();
        assertTrue(!m.contains("b".repeat(30)), m);
    }

    @Test
    void charactersOutsideTheLanguageAreRefused() {
        String[][] cases = {
            {"x:=1", "':='"}, {"x=1", "'='"}, {"#^2&", "'#'"}, {"x&", "'&'"}, {"{x}", "'{'"}, {"x;1", "';'"},
            {"\"x\"", "'\"'"}, {"x(*comment*)", "'(*'"}, {"x*)", "')'"}, {"x\\u000a", "'\\'"},
            {"x(*\\u000aSystem.out.println(\\u0022INJECTED\\u0022);//*)", "'(*'"}, {"x//1", "'/'"},
            {"x\n+1", "U+000A"}, {"x\r", "U+000D"}, {"x\u2028", "U+2028"}, {"x\u00d7x", "U+00D7"},
            {"\u0661+x", "U+0661"}, {"x'", "'''"}, {"x@1", "'@'"}, {"x!", "'!'"}, {"x%", "'%'"}, {"x|1", "'|'"},
            {"x,1", "','"}, {"x->1", "'>'"}, {"Sin(x]", "']'"},
        };
        for (String[] c : cases) {
            refused(c[0], c[1]);
        }
    }

    @Test
    void numbersAreDecimalAndInRange() {
        refused("x*1.5.5", "malformed number '1.5.5'");
        refused("x*1..5", "malformed number");
        refused("x+.", "malformed number");
        refused("2x", "write '*' between the number '2' and 'x'");
        refused("x*10^-400", "constant out of range");
        refused("Sin(x)*10^400", "constant out of range");
        refused("x*1e400", "constant out of range: '1e400'");
        refused("x*1e-400", "constant out of range: '1e-400'");
        refused("x*1e-310", "constant out of range"); // subnormal: not a normal double
        refused("x*1e99999999999", "constant out of range");
        refused("x+Exp(1000)", "constant out of range");
        refused("x*Exp(-1000)", "constant out of range");
        refused("x*Erfc(40)", "constant out of range");
        refused("x*10^300*10^300", "constant out of range");
        refused("x*(2/0)", "divides by zero");
        refused("x+Sqrt(-1)", "not a real number");
        refused("x+10^10^10", "constant out of range");
        assertEquals(new Expr.Mul(List.of(new Expr.Var("x"), num(3, 2000))), FnLanguage.read("x*1.5e-3"));
        assertEquals(new Expr.Mul(List.of(new Expr.Var("x"), num(1, 2))), FnLanguage.read("x*.5"));
        assertEquals(new Expr.Mul(List.of(new Expr.Var("x"), num(5, 1))), FnLanguage.read("x*5."));
        assertEquals(new Expr.Mul(List.of(new Expr.Var("x"), num(250, 1))), FnLanguage.read("x*2.5E+2"));
        // exact zero is a number like any other; 1 - 1 is a cancellation, not an underflow
        assertEquals(new Expr.Mul(List.of(new Expr.Var("x"), num(0, 1))), FnLanguage.read("x*0"));
        FnLanguage.read("x*(1-1)+Log(1)+ArcCos(1)");
        FnLanguage.read("x*1e300*1e-300");
    }

    @Test
    void theGrammarAndItsTrees() {
        Expr sin = new Expr.Call("Sin", new Expr.Var("x"));
        assertEquals(sin, FnLanguage.read("Sin(x)"));
        assertEquals(sin, FnLanguage.read("Sin[x]"));
        assertEquals(sin, FnLanguage.read(" sin( X ) "));
        assertEquals(new Expr.Neg(new Expr.Pow(new Expr.Var("x"), num(2, 1))), FnLanguage.read("-x^2"));
        assertEquals(new Expr.Pow(new Expr.Var("x"), new Expr.Pow(num(2, 1), num(3, 1))), FnLanguage.read("x^2^3"));
        assertEquals(new Expr.Add(List.of(new Expr.Mul(List.of(new Expr.Pi(), new Expr.Var("x"))), new Expr.Euler())),
                FnLanguage.read("Pi*x+E"));
        refused("Sin x", "Sin needs its argument in brackets");
        refused("Sin(x,2)", "Sin takes one argument");
        refused("Sin(x", "expected ')'");
        refused("x^2+", "unexpected end");
        refused("", "empty");
        refused("   ", "empty");
        refused("x(2)", "'('");
        refused("Abs(Sin(x))", "affine argument");
        refused("Sign(x^2-1)", "affine argument");
        FnLanguage.read("Abs(2*x-1)+Sign(-x/3+0.25)*Abs(4)");
    }

    @Test
    void lengthAndNestingAreBounded() {
        String deep = "(".repeat(ExprParser.MAX_DEPTH - 1) + "x" + ")".repeat(ExprParser.MAX_DEPTH - 1);
        assertEquals(new Expr.Var("x"), FnLanguage.read(deep));
        refused("(".repeat(ExprParser.MAX_DEPTH + 1) + "x" + ")".repeat(ExprParser.MAX_DEPTH + 1), "nesting deeper than");
        refused("-".repeat(150) + "x", "nesting deeper than");
        refused("x" + "^x".repeat(150), "nesting deeper than");
        refused("Sin(".repeat(100_000) + "x" + ")".repeat(100_000), "characters; at most");
        refused("x" + "+x".repeat(ExprParser.MAX_LENGTH), "characters; at most");
    }

    /** Symja gets the checked tree rendered, which reads back (Symja's grammar) as the same function of x. */
    @Test
    void theRenderingIsTheSameFunction() {
        String[] texts = {"Sin(x)+x^2/4", "-(x^2)^0.5*3-2/x/3", "x*Tanh(Log(1+Exp(x)))", "1/(1+E^(-x))", "Abs(2*x-1)-Pi*Sign[x]",
            "2^-x", "-(-(-x))", "x-1-2-3", "x/2/3*4"};
        for (String t : texts) {
            Expr user = FnLanguage.read(t);
            String r = FnLanguage.symja(user);
            assertTrue(r.matches("[A-Za-z0-9+\\-*/^()\\[\\]]+"), r);
            Expr back = ExprParser.parse(r);
            for (double x = -2.3; x <= 2.3; x += 0.7) {
                double a = SymjaActivationFactory.compile(user).applyAsDouble(x);
                double b = SymjaActivationFactory.compile(back).applyAsDouble(x);
                assertEquals(a, b, 1e-15 * Math.abs(a), t + " at " + x + ": " + r);
            }
        }
        assertEquals("((x*(3/2000))+(-Sin[x]))", FnLanguage.symja(FnLanguage.read("x*1.5e-3+-Sin(x)")));
    }

    @Test
    void kinksAreTheZerosOfTheAffineArguments() {
        assertEquals(List.of(0.0, 0.5, 0.75), java.util.Arrays.stream(FnLanguage.kinks(FnLanguage.read(
                "Abs(x)+Sign(2*x-1)*Abs(-(4*x-3)/2)+Abs(3)"))).boxed().toList());
        assertEquals(0, FnLanguage.kinks(FnLanguage.read("Sin(x)*x")).length);
    }
}
