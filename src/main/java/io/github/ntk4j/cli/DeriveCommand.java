package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.SourceText;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.symbolic.CompiledKernel;
import io.github.ntk4j.symbolic.GaussianIntegral;
import io.github.ntk4j.symbolic.JavaSource;
import io.github.ntk4j.symbolic.Statement;
import io.github.ntk4j.symbolic.SymbolicKernel;
import io.github.ntk4j.symbolic.SymbolicOptions;
import io.github.ntk4j.symbolic.SphereSeries;
import io.github.ntk4j.symbolic.SymbolicRecursion;
import io.github.ntk4j.symbolic.SymjaSession;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ntk4j derive}: the NNGP and NTK of a network as closed-form expressions, derived
 * with Symja ({@link SymbolicRecursion}). This is the only command that loads Symja; it
 * touches it only inside {@link #run}, through the String-only API of
 * {@code io.github.ntk4j.symbolic}, so building the command line for other commands loads
 * no Symja class.
 */
@Command(name = "derive", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Closed-form NNGP K and NTK Θ of a network as expressions in the input kernel "
                + "xx = x·x/d, xy = x·y/d, yy = y·y/d (or u = x·y/d with --sphere), derived with Symja; "
                + "Ṫ by Price's theorem (∂T/∂Σxy).",
            "Depth ≤ 2 (or --expanded): one expression each; deeper: a straight-line program (k1xy = …, t1xy = …, …)."})
final class DeriveCommand implements Runnable {
    /** Largest --series order. */
    static final int MAX_SERIES = SphereSeries.MAX_TERMS;

    @Spec
    CommandSpec spec;

    @Mixin
    NetworkOptions network;

    @Option(names = "--sphere", description = "Inputs on the sphere: xx = yy = 1, one variable u = x·y/d.")
    boolean sphere;

    @Option(names = "--series", paramLabel = "N",
            description = "With --sphere: the first N Maclaurin coefficients of K(u) and Θ(u), exact.")
    Integer series;

    @Option(names = "--symbolic-params",
            description = "Keep W_std and b_std of the i-th Dense layer as symbols wi, bi instead of exact numbers.")
    boolean symbolicParams;

    @Option(names = "--expanded", description = "Single closed expressions for any depth (slower and long for deep networks).")
    boolean expanded;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (Symja input form), tex, java (a Java class that evaluates the kernel in double-double) or json. "
                    + "Default: ${DEFAULT-VALUE}.")
    Format format;

    /** Output forms of {@code derive}. */
    enum Format { text, tex, java, json }

    @Option(names = "--at", paramLabel = "VAR=VALUE,...",
            description = "Also evaluate at a point, e.g. xx=1,xy=0.3,yy=2 (u=0.3 with --sphere; wi, bi with "
                    + "--symbolic-params), with the compiled evaluator.")
    String at;

    @Option(names = "--simplify-seconds", paramLabel = "S", defaultValue = "2",
            description = "Time limit of each Simplify call; on timeout the expression is kept unsimplified. "
                    + "Default: ${DEFAULT-VALUE}.")
    double simplifySeconds;

    @Option(names = "--integrate-seconds", paramLabel = "S", defaultValue = "2",
            description = "For activations known only by φ (tanh, sigmoid, softplus, silu, elu, selu, mish, fn(\"EXPR\")): "
                    + "time limit of each attempt of Symja's Integrate at a closed form of their Gaussian integrals; "
                    + "0 prints the integrals without trying. Default: ${DEFAULT-VALUE}.")
    double integrateSeconds;

    @Override
    public void run() {
        if (series != null) {
            if (!sphere) {
                throw Messages.badOption("--series", "needs --sphere (the series is in u = x·y/d with x·x/d = y·y/d = 1)");
            }
            if (series < 1) {
                throw Messages.tooSmall("--series", series, 1);
            }
            if (series > MAX_SERIES) {
                throw Messages.tooLarge("--series", series, MAX_SERIES);
            }
        }
        Map<String, Double> point = at == null ? null : parseAssignments(at);
        Network net = network.network();
        if (point != null) {
            // check the point before the (slow) derivation
            CompiledKernel.checkPoint(SymbolicRecursion.variables(net, sphere, symbolicParams), point);
        }
        if (series != null) {
            SphereSeries.check(net, series);
        }
        boolean integrals = SymbolicRecursion.hasIntegralActivations(net);
        if (integrals && point != null && symbolicParams) {
            throw Messages.badOption("--at", "with --symbolic-params needs closed forms, and the Gaussian integrals of "
                    + "activations known only by φ are evaluated numerically at the network's own W_std, b_std; drop --symbolic-params");
        }
        if (!(integrateSeconds >= 0 && integrateSeconds <= SymbolicOptions.MAX_SECONDS)) {
            throw Messages.badOption("--integrate-seconds", "must be a number of seconds in [0, " + (int) SymbolicOptions.MAX_SECONDS
                    + "], got " + (Double.isFinite(integrateSeconds) ? CliSupport.num(integrateSeconds) : String.valueOf(integrateSeconds)));
        }
        if (!(simplifySeconds > 0 && simplifySeconds <= SymbolicOptions.MAX_SECONDS)) {
            throw Messages.badOption("--simplify-seconds", "must be a number of seconds in (0, " + (int) SymbolicOptions.MAX_SECONDS
                    + "], got " + (Double.isFinite(simplifySeconds) ? CliSupport.num(simplifySeconds) : String.valueOf(simplifySeconds)));
        }
        // with Gaussian integrals the program, one named integral a line, is the readable form:
        // a single expression nests the integrals (still available with --expanded)
        boolean closed = expanded || net.depth() <= 2 && !integrals;
        SymbolicRecursion.checkSize(net, closed);
        SymbolicOptions options = new SymbolicOptions(sphere, symbolicParams, closed, simplifySeconds, integrateSeconds);
        SymbolicRecursion recursion = SymbolicRecursion.of(net, options);

        Main.atExit(SymjaSession::shutdownThreads);
        SymjaSession session = SymjaSession.shared();
        SymbolicKernel kernel;
        List<String> nngpSeries = null;
        List<String> ntkSeries = null;
        try (ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "derive")) {
            kernel = recursion.derive(session, bar);
            if (series != null) {
                SphereSeries.Result s = SphereSeries.of(net, options, series, session, bar);
                nngpSeries = s.nngp();
                ntkSeries = s.ntk();
            }
        }
        KernelValue value = null;
        if (point != null) {
            // Gaussian integrals are the numeric engine's to evaluate; a zero-variance point is a 0/0 limit
            value = (kernel.hasIntegrals() || zeroVariance(point)) && !symbolicParams ? numericAt(net, point)
                    : CompiledKernel.compile(kernel).evaluate(point);
        }

        PrintWriter out = spec.commandLine().getOut();
        // Java source cannot hold an Integrate: with integrals it is always the program, whose
        // integral lines call the activation's numeric duals
        boolean single = closed && !(format == Format.java && kernel.hasIntegrals());
        String nngp = single ? kernel.nngpClosed().orElseThrow() : kernel.nngp();
        String ntk = single ? kernel.ntkClosed().orElseThrow() : kernel.ntk();
        List<Statement> program = single ? List.of() : kernel.program();
        switch (format) {
            case json: {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("network", kernel.network());
                m.put("form", single ? "closed" : "straight-line");
                m.put("symbolic_params", symbolicParams);
                m.put("variables", kernel.variables());
                if (!closed) {
                    List<Map<String, String>> lines = new ArrayList<>();
                    for (Statement st : program) {
                        Map<String, String> line = new LinkedHashMap<>();
                        line.put("name", st.name());
                        line.put("expression", st.expression());
                        lines.add(line);
                    }
                    m.put("program", lines);
                }
                m.put("nngp", nngp);
                m.put("ntk", ntk);
                List<Map<String, Object>> integralList = new ArrayList<>();
                for (GaussianIntegral g : kernel.integrals()) {
                    Map<String, Object> i = new LinkedHashMap<>();
                    i.put("name", g.name());
                    i.put("activation", g.activation());
                    i.put("kind", kindName(g.kind()));
                    i.put("arguments", g.arguments());
                    integralList.add(i);
                }
                m.put("integrals", integralList);
                if (!kernel.notes().isEmpty()) {
                    m.put("notes", kernel.notes());
                }
                if (nngpSeries != null) {
                    m.put("nngp_series", nngpSeries);
                    m.put("ntk_series", ntkSeries);
                }
                if (value != null) {
                    m.put("nngp_value", value.nngp());
                    m.put("ntk_value", value.ntk());
                }
                CliSupport.json(out, m);
                return;
            }
            case java: {
                // a whole class in the stable form; user text only escaped (JavaSource, SourceText)
                out.print(JavaSource.of(kernel, closed, "DerivedKernel"));
                break;
            }
            case tex: {
                out.println("% ntk4j derive: " + SourceText.texComment(kernel.network()) + "; variables: " + String.join(", ", kernel.variables()));
                // HoldForm: TeXForm would otherwise evaluate, and so try to integrate, an integral
                java.util.function.UnaryOperator<String> tex = kernel.hasIntegrals() ? e -> session.tex("HoldForm[" + e + "]")
                        : session::tex;
                for (String note : kernel.notes()) {
                    out.println("% " + SourceText.texComment(note));
                }
                for (Statement st : program) {
                    out.println(st.name() + " = " + tex.apply(st.expression()));
                }
                out.println("K = " + tex.apply(nngp));
                out.println("\\Theta = " + tex.apply(ntk));
                if (nngpSeries != null) {
                    out.println("K(u) = " + session.tex(seriesSum(nngpSeries)) + " + \\dots");
                    out.println("\\Theta(u) = " + session.tex(seriesSum(ntkSeries)) + " + \\dots");
                }
                break;
            }
            default: {
                out.println("(* ntk4j derive: " + SourceText.symjaComment(kernel.network()) + "; variables: " + String.join(", ", kernel.variables())
                        + (sphere ? "; sphere: xx = yy = 1, u = xy" : "")
                        + (symbolicParams ? "; W_std, b_std of Dense layer i as wi, bi" : "") + " *)");
                if (kernel.hasIntegrals()) {
                    out.println("(* Gaussian integrals: E[f(u)g(v)] for (u,v) ~ N(0,[[a,c],[c,b]]) written with independent "
                            + "standard normal z1, z2 as u = Sqrt(a)*z1, v = c/Sqrt(a)*z1+Sqrt((a*b-c^2)/a)*z2 *)");
                }
                for (String note : kernel.notes()) {
                    out.println("(* " + SourceText.symjaComment(note) + " *)");
                }
                for (Statement st : program) {
                    out.println(st);
                }
                out.println("nngp = " + nngp);
                out.println("ntk = " + ntk);
                if (nngpSeries != null) {
                    out.println("nngpseries = {" + String.join(", ", nngpSeries) + "}");
                    out.println("ntkseries = {" + String.join(", ", ntkSeries) + "}");
                }
            }
        }
        if (value != null) {
            // the point as parsed (names and numbers), never the text as typed
            StringBuilder p = new StringBuilder();
            point.forEach((k, v) -> p.append(p.length() == 0 ? "" : ",").append(k).append('=').append(CliSupport.num(v)));
            String c = format == Format.java ? "// " : format == Format.tex ? "% " : "";
            String where = format == Format.java ? SourceText.javaComment(p.toString()) : SourceText.texComment(p.toString());
            out.println(c + "nngp at " + where + ": " + CliSupport.num(value.nngp()));
            out.println(c + "ntk at " + where + ": " + CliSupport.num(value.ntk()));
        }
        out.flush();
    }

    private static String kindName(GaussianIntegral.Kind kind) {
        return switch (kind) {
            case DUAL -> "T";
            case DERIVATIVE -> "Tdot";
            case DIAGONAL -> "T_diagonal";
        };
    }

    /** c0 + c1 u + c2 u² + … as a Symja expression, for TeX. */
    private static String seriesSum(List<String> coefficients) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < coefficients.size(); k++) {
            sb.append(k == 0 ? "" : "+").append('(').append(coefficients.get(k)).append(")*u^").append(k);
        }
        return sb.toString();
    }

    /** Parses "xx=1,xy=0.3,yy=2". */
    static Map<String, Double> parseAssignments(String s) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String part : s.split(",", -1)) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw Messages.badOption("--at", "expected NAME=VALUE, got '" + p + "'");
            }
            String name = p.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
            double v;
            try {
                v = Double.parseDouble(p.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw Messages.badOption("--at", "'" + p.substring(eq + 1).strip() + "' is not a number (for " + name + ")");
            }
            if (!Double.isFinite(v)) {
                throw Messages.notFinite("--at " + name, v);
            }
            if (m.put(name, v) != null) {
                throw Messages.badOption("--at", name + " is given twice");
            }
        }
        return m;
    }

    /**
     * The kernels at a point from the numeric engine, on two vectors with exactly that input
     * kernel (x·x/2 = xx, x·y/2 = xy, y·y/2 = yy; on the sphere xx = yy = 1, xy = u).
     */
    private KernelValue numericAt(Network net, Map<String, Double> point) {
        if (sphere) {
            Map<String, Double> p = new LinkedHashMap<>();
            p.put("xx", 1.0);
            p.put("xy", point.get("u"));
            p.put("yy", 1.0);
            return limitAt(net, p);
        }
        return limitAt(net, point);
    }

    private boolean zeroVariance(Map<String, Double> point) {
        return !sphere && (point.getOrDefault("xx", 1.0) == 0 || point.getOrDefault("yy", 1.0) == 0);
    }

    /**
     * The kernels at a point with a zero-variance input, where the closed form is 0/0: its limit,
     * from the numeric engine on two vectors with exactly that input kernel (x·y/2 = xy etc.).
     */
    private static KernelValue limitAt(Network net, Map<String, Double> point) {
        double xx = point.get("xx");
        double xy = point.get("xy");
        double yy = point.get("yy");
        double r2 = Math.sqrt(2);
        double[] x = {r2 * Math.sqrt(xx), 0};
        double[] y = xx > 0 ? new double[] {r2 * xy / Math.sqrt(xx), r2 * Math.sqrt(Math.max(yy - xy * xy / xx, 0))}
                : new double[] {0, r2 * Math.sqrt(yy)};
        return io.github.ntk4j.kernel.NtkRecursion.of(net).pair(x, y);
    }
}
