package io.github.ntk4j.cli;

import io.github.ntk4j.finite.NetworkWeights;
import io.github.ntk4j.finite.TrainableNetwork;
import io.github.ntk4j.io.AtomicFile;
import io.github.ntk4j.study.LazyTrainingStudy;
import io.github.ntk4j.study.PathKernelStudy;
import io.github.ntk4j.study.SingleNetworkRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code train --init/--save-weights}: one network trained from given or seeded weights ({@link SingleNetworkRun}). */
final class TrainWeights {
    private TrainWeights() {
    }

    static int run(picocli.CommandLine.Model.CommandSpec spec, LazyTrainingStudy study, Double lr, long seed, Path init,
            Path save, Integer width, Formats.TextJsonCsv format) {
        if (save != null) {
            CliSupport.forOption("--save-weights", () -> {
                AtomicFile.checkWritable(save);
                return null;
            });
        }
        PathKernelStudy data = PathKernelStudy.of(study.network(), study.trainInputs(), study.targets(),
                study.testInputs(), study.steps(), lr == null ? Double.NaN : lr, seed);
        TrainableNetwork net;
        if (init != null) {
            net = TrainableNetwork.fromWeights(study.network(), NetworkWeights.read(init), data.trainInputs()[0].length);
        } else {
            net = data.network(width != null ? width : PathKernelCommand.DEFAULT_WIDTH, 0);
        }
        int m = net.shape(net.denseLayers()[0])[1];
        if (init != null && width != null && width != m) {
            throw io.github.ntk4j.internal.Messages.badOption("--width", width + " does not match the width " + m + " of "
                    + init);
        }
        CliSupport.Timed<SingleNetworkRun> timed = CliSupport.runStudy(spec, "train",
                TrainableNetwork.bytesNeeded(study.network(), data.trainInputs().length, data.trainInputs()[0].length, m, 1),
                progress -> SingleNetworkRun.train(net, data.trainInputs(), data.targets(), data.testInputs(),
                        data.steps(), data.learningRate(), progress));
        SingleNetworkRun r = timed.result();
        if (save != null) {
            net.weights().write(save);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Formats.TextJsonCsv.json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("network", study.network().spec());
            j.put("width", m);
            j.put("init", init == null ? null : init.toString());
            j.put("steps", r.steps());
            j.put("learning_rate", r.learningRate());
            j.put("initial_loss", r.initialLoss());
            j.put("final_loss", r.finalLoss());
            j.put("weight_change", r.weightChange());
            j.put("test_outputs", r.testOutputs());
            j.put("saved", save == null ? null : save.toString());
            CliSupport.json(out, j);
        } else if (format == Formats.TextJsonCsv.csv) {
            out.println("width,steps,learning_rate,initial_loss,final_loss,weight_change");
            out.println(m + "," + r.steps() + "," + r.learningRate() + "," + r.initialLoss() + "," + r.finalLoss() + ","
                    + r.weightChange());
        } else {
            out.printf(Locale.ROOT, "train: one network %s of width %d (%s), %d steps of lr %.4g: loss %.6g -> %.6g, "
                    + "weights moved by %.4g relative%n", study.network().spec(), m,
                    init == null ? "seed " + seed : "from " + init, r.steps(), r.learningRate(), r.initialLoss(),
                    r.finalLoss(), r.weightChange());
            if (save != null) {
                out.println("trained weights written to " + save);
            }
        }
        out.flush();
        return Main.OK;
    }
}
