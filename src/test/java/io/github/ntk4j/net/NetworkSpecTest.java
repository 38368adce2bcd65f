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
        Network n = Network.fullyConnected(Layers.relu(), 2, 1.4, 0.1);
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
        assertThrows(Ntk4jException.class, () -> Network.fullyConnected(Layers.relu(), -1, 1, 0));
        assertThrows(Ntk4jException.class, () -> new Dense(Double.POSITIVE_INFINITY, 0));
    }

    @Test
    void structuralLayersParseAndPrintBack() {
        String spec = "width(512) dense(1.4,0.1,standard) residual(relu dense(1.4,0.1,standard)) "
                + "residual(erf dense(1,0) relu dense(1,0); 0.5,2) layernorm relu dense(1,0) "
                + "sum(identity | relu dense(1,0.1) | erf dense(2,0); 1,0.5,0.25) prod(dense(1,0) | relu dense(1,0)) dense(1,0)";
        Network n = NetworkSpec.parse(spec);
        assertEquals(spec, n.spec());
        assertEquals(n, NetworkSpec.parse(n.spec()));
        assertEquals(512, n.width());
        assertTrue(n.needsWidth());
        assertEquals(Parameterization.STANDARD, ((Dense) n.layers().get(0)).parameterization());
        assertEquals(Parameterization.NTK, ((Dense) NetworkSpec.parse("dense(1,0,ntk) relu dense(1,0)").layers().get(0)).parameterization());
        // --parameterization standard switches every dense layer, inside branches too
        Network s = NetworkSpec.parse("dense(1,0) residual(relu dense(1,0)) relu dense(1,0)")
                .withParameterization(Parameterization.STANDARD).withWidth(64);
        assertEquals("width(64) dense(1,0,standard) residual(relu dense(1,0,standard)) relu dense(1,0,standard)", s.spec());
        // the Java combinators build the same layer as the spec
        Layer block = Branches.fanOut(2).parallel(java.util.List.of(), java.util.List.of(Layers.relu(), new Dense(1, 0)))
                .fanInSum();
        assertEquals(NetworkSpec.parse("dense(1,0) sum(identity | relu dense(1,0)) dense(1,0)"),
                Network.serial(new Dense(1, 0), block, new Dense(1, 0)));
        assertEquals(NetworkSpec.parse("dense(1,0) sum(identity | relu dense(1,0)) dense(1,0)"),
                Network.serial(new Dense(1, 0), Branches.fanInSum(java.util.List.of(Layers.identity()),
                        java.util.List.of(Layers.relu(), new Dense(1, 0))), new Dense(1, 0)));
    }

    @Test
    void invalidCompositionsAreRefusedWithTheReason() {
        // an activation inside a block whose input is post-activation: not Gaussian
        assertTrue(error("dense(1,0) relu residual(relu dense(1,0)) dense(1,0)")
                .contains("position 17 (at \"residual(relu dense(1,0)…\"): activation relu in residual(relu dense(1,0)) at layer 3 "
                        + "must follow a dense layer"));
        // layernorm after an activation: non-zero feature mean
        assertTrue(error("dense(1,0) relu layernorm dense(1,0)").contains("layernorm at layer 3 must get mean-zero input"));
        // two branches without a dense layer are the same random variable, not independent
        assertTrue(error("dense(1,0) sum(identity | relu) dense(1,0)").contains("are not independent"));
        // a sum of two non-zero-mean branches
        assertTrue(error("dense(1,0) sum(relu dense(1,0) relu | erf dense(1,0) relu) dense(1,0)")
                .contains("non-zero means"));
        // a product is not Gaussian: no activation directly after it
        assertTrue(error("dense(1,0) prod(dense(1,0) | dense(1,0)) relu dense(1,0)").contains("must follow a dense layer"));
        assertTrue(error("dense(1,0) residual() dense(1,0)").contains("needs the layers of its block"));
        assertTrue(error("dense(1,0) residual(relu dense(1,0) | relu dense(1,0)) dense(1,0)").contains("use sum(A | B)"));
        assertTrue(error("dense(1,0) residual(relu dense(1,0); 1) dense(1,0)").contains("takes 2 weights"));
        assertTrue(error("dense(1,0,sparse) relu dense(1,0)").contains("ntk or standard, got 'sparse'"));
        assertTrue(error("width(0) dense(1,0) relu dense(1,0)").contains("width(N) takes one integer N >= 1"));
        assertTrue(error("dense(1,0) layernorm(2) dense(1,0)").contains("layernorm takes no parameters"));
        // the residual of a Gaussian input is Gaussian, so an activation may follow it
        NetworkSpec.parse("dense(1,0) residual(relu dense(1,0)) relu dense(1,0)");
        // a sum whose skip is post-activation may feed a dense layer (covariances add), not an activation
        NetworkSpec.parse("dense(1,0) relu residual(dense(1,0)) dense(1,0)");
        assertTrue(error("dense(1,0) relu residual(dense(1,0)) relu dense(1,0)").contains("must follow a dense layer"));
    }
}
