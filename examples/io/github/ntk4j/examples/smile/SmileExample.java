package io.github.ntk4j.examples.smile;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.NetworkSpec;
import java.util.Random;
import smile.classification.SVM;
import smile.math.kernel.LinearKernel;
import smile.math.kernel.MercerKernel;

/**
 * Smile's SVM trained with the NTK of a ReLU network on two rings in the plane (label -1 inside,
 * +1 outside), which no linear classifier separates.
 * Run: {@code java -cp target/ntk4j.jar:target/test-classes:SMILE_JARS io.github.ntk4j.examples.smile.SmileExample}.
 */
public final class SmileExample {
    private SmileExample() {
    }

    /** Two rings: x holds the points, y the labels (-1: radius 0.5–1, +1: radius 1.5–2). */
    public record Rings(double[][] x, int[] y) {
        /**
         * @param n points per ring
         * @param seed the sampling seed
         * @return the rings
         */
        public static Rings sample(int n, long seed) {
            Random r = new Random(seed);
            double[][] x = new double[2 * n][];
            int[] y = new int[2 * n];
            for (int i = 0; i < 2 * n; i++) {
                boolean inner = i % 2 == 0;
                double radius = (inner ? 0.5 : 1.5) + 0.5 * r.nextDouble();
                double angle = 2 * Math.PI * r.nextDouble();
                x[i] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
                y[i] = inner ? -1 : 1;
            }
            return new Rings(x, y);
        }
    }

    /**
     * @param kernel the Smile kernel
     * @return test accuracy of Smile's SVM (C = 10) trained with it on 60 points per ring, tested on 200 others
     */
    public static double accuracy(MercerKernel<double[]> kernel) {
        Rings train = Rings.sample(60, 1);
        Rings test = Rings.sample(100, 2);
        SVM<double[]> svm = SVM.fit(train.x(), train.y(), kernel, 10, 1e-3);
        int right = 0;
        for (int i = 0; i < test.y().length; i++) {
            right += svm.predict(test.x()[i]) == test.y()[i] ? 1 : 0;
        }
        return (double) right / test.y().length;
    }

    public static void main(String[] args) {
        SmileKernel ntk = new SmileKernel(
                NtkRecursion.of(NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)")), KernelKind.NTK);
        System.out.printf("Smile SVM, two rings: accuracy %.3f with %s%n", accuracy(ntk), ntk);
        System.out.printf("Smile SVM, two rings: accuracy %.3f with Smile's linear kernel%n", accuracy(new LinearKernel()));
    }
}
