package io.github.ntk4j.symbolic;

import java.util.List;
import java.util.Optional;

/**
 * The NNGP K and NTK Θ of a network as Symja expressions (result of
 * {@link SymbolicRecursion#derive}).
 *
 * <p>Always present: a straight-line program (one {@link Statement} per intermediate
 * kernel, e.g. {@code k1xy}, {@code t1xy}, {@code td1}, {@code th2}) and the two outputs as
 * expressions in the program's names. With {@link SymbolicOptions#expanded()} also single
 * closed expressions in the input variables only.
 *
 * @param network the network in spec syntax
 * @param variables the free variables: {@code xx, xy, yy} (or {@code u} on the sphere), then
 *     {@code w1, b1, …} with symbolic parameters
 * @param program the straight-line program, in order
 * @param nngp K as an expression in the variables and program names
 * @param ntk Θ as an expression in the variables and program names
 * @param nngpClosed K as one expression in the variables only, if built
 * @param ntkClosed Θ as one expression in the variables only, if built
 * @param integrals the program lines that are Gaussian integrals without a closed form (of
 *     activations known only by φ), evaluated numerically by the numeric engine; empty when
 *     every line is a closed form
 * @param notes one line per such activation: what Symja found and how the rest is evaluated
 */
public record SymbolicKernel(String network, List<String> variables, List<Statement> program, String nngp, String ntk,
        Optional<String> nngpClosed, Optional<String> ntkClosed, List<GaussianIntegral> integrals, List<String> notes) {

    /**
     * Copies the lists.
     *
     * @param network see above
     * @param variables see above
     * @param program see above
     * @param nngp see above
     * @param ntk see above
     * @param nngpClosed see above
     * @param ntkClosed see above
     * @param integrals see above
     * @param notes see above
     */
    public SymbolicKernel {
        variables = List.copyOf(variables);
        program = List.copyOf(program);
        integrals = List.copyOf(integrals);
        notes = List.copyOf(notes);
    }

    /** @return whether some lines are Gaussian integrals left for numerical evaluation */
    public boolean hasIntegrals() {
        return !integrals.isEmpty();
    }

    /** @return whether closed single expressions are available */
    public boolean hasClosedForm() {
        return nngpClosed.isPresent() && ntkClosed.isPresent();
    }
}
