package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A network is its spec: {@link Network#spec()} parses back to an equal network with the same
 * spec, for every layer kind (every registered activation, both parameterisations, layernorm,
 * the branches, the Fourier-feature input maps, a stated width), and Java serialisation writes
 * and reads that spec.
 */
class SpecRoundTripTest {
    /** One spec per layer kind; activations from the registry with every parameter set to 0.5 or 1. */
    static List<String> specs() {
        List<String> out = new ArrayList<>();
        for (String sig : Activations.KNOWN.split(", ")) {
            String name = sig.split("[ (]", 2)[0];
            String token;
            if (name.equals("fn")) {
                token = "fn(\"x*Tanh(x)\")";
            } else if (!sig.contains("(") || sig.contains("(=")) {
                token = name;
            } else {
                int params = sig.contains("...") ? 3 : sig.substring(sig.indexOf('(') + 1, sig.indexOf(')')).split(",").length;
                String v = name.equals("hermite") || name.contains("monomial") ? "2" : "0.5";
                token = name + "(" + String.join(",", java.util.Collections.nCopies(params, v)) + ")";
            }
            out.add("dense(1.4,0.1) " + token + " dense(1,0)");
        }
        out.add("dense(1.4,0.1,standard) relu dense(1,0.05,standard)");
        out.add("width(512) dense(1.4,0.1,standard) relu dense(1,0)");
        out.add("dense(1,0) layernorm relu dense(1,0)");
        out.add("dense(1,0) residual(relu dense(1,0)) relu dense(1,0)");
        out.add("dense(1,0) residual(gelu dense(1.4,0); 0.5, 0.8) dense(1,0)");
        out.add("dense(1,0) sum(relu dense(1,0) | erf dense(1,0) | identity; 0.5, 0.3, 0.2) dense(1,0)");
        out.add("dense(1,0) prod(relu dense(1,0) | erf dense(1,0)) dense(1,0)");
        out.add("fourier(16,2,7) dense(1.4,0.1) relu dense(1,0)");
        out.add("posenc(8,10) dense(1.4,0.1) relu dense(1,0)");
        return out;
    }

    @Test
    void everyLayerKindRoundTrips() throws Exception {
        List<String> specs = specs();
        assertTrue(specs.size() > 35, "every activation is covered: " + specs.size());
        for (String s : specs) {
            Network n = Network.parse(s);
            Network back = Network.parse(n.spec());
            assertEquals(n, back, s);
            assertEquals(n.spec(), back.spec(), s);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(n);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                Network read = (Network) in.readObject();
                assertEquals(n, read, s);
                assertEquals(n.spec(), read.spec(), s);
            }
        }
    }

    @Test
    void layersFactoriesBuildTheSpecsNetworks() {
        Network a = Network.serial(Layers.dense(1.4, 0.1), Layers.relu(), Layers.dense(1.4, 0.1), Layers.erf(),
                Layers.dense(1, 0));
        assertEquals(Network.parse("dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)"), a);
        Network b = Network.serial(Layers.dense(1, 0), Layers.residual(0.5, 0.8, Layers.gelu(), Layers.dense(1.4, 0)),
                Layers.layerNorm(), Layers.dense(1, 0));
        assertEquals(Network.parse("dense(1,0) residual(gelu dense(1.4,0); 0.5, 0.8) layernorm dense(1,0)"), b);
        assertEquals("leaky_relu(0.1)", Layers.leakyRelu(0.1).spec());
        assertEquals(Layers.cos(1, 2, 0), Layers.activation("cos(1,2,0)"));
    }
}
