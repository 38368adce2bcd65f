package demo;

import io.github.ntk4j.net.NetworkSpec;
import io.github.ntk4j.symbolic.SymbolicKernel;
import io.github.ntk4j.symbolic.SymbolicOptions;
import io.github.ntk4j.symbolic.SymbolicRecursion;
import io.github.ntk4j.symbolic.SymjaSession;

/** The closed-form NTK of a one-hidden-layer ReLU network (io.github.ntk4j.symbolic, on Symja). */
final class Derive {
    private Derive() {
    }

    static void run() {
        SymbolicKernel k = SymbolicRecursion.of(NetworkSpec.parse("dense(1,0) relu dense(1,0)"), SymbolicOptions.defaults())
                .derive(SymjaSession.shared());
        for (var statement : k.program()) {
            System.out.println("derived " + statement);
        }
        System.out.println("derived ntk = " + k.ntk());
        SymjaSession.shutdownThreads();
    }
}
