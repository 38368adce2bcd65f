package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {

    @Test
    void parsesAndPrintsBack() {
        String spec = "dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0) leaky_relu(0.2) dense(2,0.5) "
                + "erf(2,0.5,0.3) dense(1,0) poly(0.1,1,0,0.25) dense(1,0) abs dense(1,0) identity dense(1,0) "
                + "abrelu(-0.5,2) dense(1,0)";
        Network n = NetworkSpec.parse(spec);
        assertEquals(spec, n.spec());
        assertEquals(n, NetworkSpec.parse(n.spec()));
        assertEquals(8, n.depth());
    }

    @Test
    void shorthandIsTheReferenceNetwork() {
        Network n = Network.fullyConnected(ABRelu.relu(), 2, 1.4, 0.1);
        assertEquals("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)", n.spec());
    }

    private static String error(String spec) {
        return assertThrows(Ntk4jException.class, () -> NetworkSpec.parse(spec)).getMessage();
    }

    @Test
    void typoPointsAtTheBadToken() {
        String m = error("dense(1.4,0.1) reul dense(1,0)");
        assertTrue(m.startsWith("bad network spec at position 16 (at \"reul dense(1,0)\"): unknown layer 'reul'"), m);
        assertTrue(!m.contains("\n"), m);
    }

    @Test
    void otherSpecErrorsArePrecise() {
        assertTrue(error("dense(1.4,x) relu dense(1,0)").contains("position 11 (at \"x) relu dense(1,0)\"): 'x' is not a number"));
        assertTrue(error("dense(1.4) relu dense(1,0)").contains("position 1 (at \"dense(1.4) relu dense(1,…\"): dense takes two parameters"));
        assertTrue(error("dense(1,0) relu dense(1,0").contains("unclosed '('"));
        assertTrue(error("relu dense(1,0)").contains("position 1 (at \"relu dense(1,0)\"): the first layer must be dense"));
        assertTrue(error("dense(1,0) relu").contains("position 12 (at \"relu\"): the last layer must be a dense"));
        assertTrue(error("dense(1,0) relu erf dense(1,0)").contains("position 17 (at \"erf dense(1,0)\"): activation erf at layer 3 must follow a dense"));
        assertTrue(error("dense(-1,0) relu dense(1,0)").contains("W_std must be >= 0"));
        assertTrue(error("dense(1,-0.5) relu dense(1,0)").contains("b_std must be >= 0"));
        assertTrue(error("dense(1,0) erf(1,2) dense(1,0)").contains("erf takes 3 parameters, got 2"));
        assertTrue(error("dense(1,NaN) relu dense(1,0)").contains("not a finite number"));
        assertTrue(error("   ").contains("network spec is empty"));
    }

    @Test
    void unknownActivationNamesTheKnownOnes() {
        String m = assertThrows(Ntk4jException.class, () -> Activations.of("tahn")).getMessage();
        assertEquals("unknown activation 'tahn' (known: " + Activations.KNOWN + ")", m);
        assertTrue(Activations.KNOWN.contains("gelu") && Activations.KNOWN.contains("rectified_monomial(n)")
                && Activations.KNOWN.contains("fn(\"EXPR\")"), Activations.KNOWN);
        assertThrows(Ntk4jException.class, () -> Network.fullyConnected(ABRelu.relu(), -1, 1, 0));
        assertThrows(Ntk4jException.class, () -> new Dense(Double.POSITIVE_INFINITY, 0));
    }
}
