package io.github.ntk4j.examples.tribuo;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.NetworkSpec;
import java.util.Random;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.kernel.KernelSVMTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.kernel.Kernel;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Tribuo's kernel SVM (Pegasos) trained with the NTK of a ReLU network on two rings in the plane
 * (inner ring label "in", outer ring "out"), which no linear classifier separates.
 * Run: {@code java -cp target/ntk4j.jar:target/test-classes:TRIBUO_JARS io.github.ntk4j.examples.tribuo.TribuoExample}.
 */
public final class TribuoExample {
    private TribuoExample() {
    }

    /**
     * @param n points per class
     * @param seed the sampling seed
     * @return two rings: radius 0.5–1 labelled "in", 1.5–2 labelled "out"
     */
    public static MutableDataset<Label> rings(int n, long seed) {
        Random r = new Random(seed);
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("rings", new LabelFactory()),
                new LabelFactory());
        for (int i = 0; i < 2 * n; i++) {
            boolean inner = i % 2 == 0;
            double radius = (inner ? 0.5 : 1.5) + 0.5 * r.nextDouble();
            double angle = 2 * Math.PI * r.nextDouble();
            data.add(new ArrayExample<>(new Label(inner ? "in" : "out"), new String[] {"x0", "x1"},
                    new double[] {radius * Math.cos(angle), radius * Math.sin(angle)}));
        }
        return data;
    }

    /**
     * @param kernel the Tribuo kernel
     * @return test accuracy of Tribuo's kernel SVM trained with it on 60 points per ring, tested on 200 others
     */
    public static double accuracy(Kernel kernel) {
        KernelSVMTrainer trainer = new KernelSVMTrainer(kernel, 0.01, 10, 1L);
        Model<Label> model = trainer.train(rings(60, 1));
        return new LabelEvaluator().evaluate(model, rings(100, 2)).accuracy();
    }

    public static void main(String[] args) {
        Kernel ntk = new TribuoKernel(NtkRecursion.of(NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)")),
                KernelKind.NTK);
        System.out.printf("Tribuo kernel SVM, two rings: accuracy %.3f with %s%n", accuracy(ntk), ntk);
        System.out.printf("Tribuo kernel SVM, two rings: accuracy %.3f with Tribuo's linear kernel%n",
                accuracy(new org.tribuo.math.kernel.Linear()));
    }
}
