package io.github.ntk4j.io;

import java.nio.file.Path;

/**
 * A process for {@link AtomicFileSignalTest}: starts an atomic write of its first argument,
 * writes part of the content, says "writing" on standard output and then waits to be signalled.
 */
public final class SlowAtomicWrite {
    private SlowAtomicWrite() {
    }

    /**
     * @param args the target file
     * @throws Exception never expected
     */
    public static void main(String[] args) throws Exception {
        AtomicFile.writeText(Path.of(args[0]), w -> {
            w.write("partial content\n".repeat(10_000));
            w.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
