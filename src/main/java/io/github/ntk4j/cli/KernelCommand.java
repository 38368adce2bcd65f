package io.github.ntk4j.cli;

import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Network;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ntk4j kernel}: the exact NNGP and NTK of one pair of inputs. */
@Command(name = "kernel", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Exact infinite-width NNGP K(x,y) and NTK Θ(x,y) of one pair of inputs.")
final class KernelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--x", required = true, paramLabel = "X1,X2,...", description = "First input, comma-separated.")
    String x;

    @Option(names = "--y", required = true, paramLabel = "Y1,Y2,...", description = "Second input, same dimension.")
    String y;

    @Mixin
    NetworkOptions network;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json (one object with the keys nngp and ntk) or csv (a header nngp,ntk and one row). "
                    + "Default: ${DEFAULT-VALUE}.")
    Formats.TextJsonCsv format;

    @Override
    public void run() {
        Network net = network.network();
        KernelValue v = NtkRecursion.of(net).pair(CliSupport.vector("--x", x), CliSupport.vector("--y", y));
        PrintWriter out = spec.commandLine().getOut();
        if (format == Formats.TextJsonCsv.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("nngp", v.nngp());
            m.put("ntk", v.ntk());
            CliSupport.json(out, m);
        } else if (format == Formats.TextJsonCsv.csv) {
            CliSupport.csv(out, "nngp", "ntk");
            CliSupport.csv(out, v.nngp(), v.ntk());
            out.flush();
        } else {
            out.println("network  " + net.spec());
            out.println("nngp     " + CliSupport.num(v.nngp()));
            out.println("ntk      " + CliSupport.num(v.ntk()));
            out.flush();
        }
    }
}
