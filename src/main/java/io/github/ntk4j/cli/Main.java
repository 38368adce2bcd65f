package io.github.ntk4j.cli;

import io.github.ntk4j.Ntk4jException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ntk4j} command line. Every sub-command only parses options, calls the library
 * and prints; exit codes: 0 success, 1 a check failed (e.g. {@code verify}), 2 bad usage or
 * bad input (one line on stderr), 70 an internal error.
 */
@Command(name = "ntk4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Exact infinite-width NTK and NNGP kernels of fully connected networks, "
                + "checked against finite-width networks.",
        subcommands = {VerifyCommand.class, KernelCommand.class, GramCommand.class, DeriveCommand.class,
            EmpiricalCommand.class, SpectrumCommand.class, PredictCommand.class, FourierCommand.class, TrainCommand.class,
            BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code of a failed check. */
    public static final int CHECK_FAILED = 1;
    /** Exit code of bad usage or bad input. */
    public static final int BAD_INPUT = 2;
    /** Exit code of an internal error. */
    public static final int INTERNAL = 70;
    /** Exit code of output that could not be written (a file or standard output; sysexits EX_IOERR). */
    public static final int OUTPUT_FAILED = 74;

    private static final List<Runnable> AT_EXIT = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    /**
     * Registers work to run after the command, before the JVM exits (e.g. stopping Symja's
     * non-daemon threads). Only commands that started such threads register anything.
     *
     * @param r the action
     */
    public static synchronized void atExit(Runnable r) {
        AT_EXIT.add(r);
    }

    /**
     * Runs a command line and returns its exit code, without exiting (for tests and embedding).
     *
     * @param out standard output
     * @param err standard error
     * @param args the arguments
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            Throwable t = ex;
            if (t instanceof io.github.ntk4j.OutputException) {
                err.println(c.getCommandSpec().qualifiedName() + ": error: " + firstLine(t.getMessage()));
                err.flush();
                return OUTPUT_FAILED;
            }
            if (t instanceof Ntk4jException || t instanceof IllegalArgumentException) {
                err.println(c.getCommandSpec().qualifiedName() + ": error: " + firstLine(t.getMessage()));
                err.flush();
                return BAD_INPUT;
            }
            if (t instanceof OutOfMemoryError) {
                err.println(c.getCommandSpec().qualifiedName()
                        + ": error: out of memory (raise -Xmx, e.g. java -Xmx8g -jar ntk4j.jar ...)");
                err.flush();
                return BAD_INPUT;
            }
            err.println(c.getCommandSpec().qualifiedName() + ": internal error: " + t
                    + (t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0] : ""));
            err.flush();
            return INTERNAL;
        });
        try {
            int code;
            try {
                code = cl.execute(args);
            } catch (OutOfMemoryError e) {
                // the last resort: every engine estimates its memory first, so this is an estimate
                // that was too low; picocli passes Errors through its handlers
                err.println("ntk4j: error: out of memory (raise -Xmx, e.g. java -Xmx8g -jar ntk4j.jar ..., or reduce the size)");
                err.flush();
                return BAD_INPUT;
            }
            // PrintWriter swallows write errors (a full disk, a closed pipe): they are only seen here
            if (out.checkError()) {
                String why = StandardOutput.lastError;
                err.println("ntk4j: error: standard output could not be written" + (why == null ? "" : " (" + why + ")")
                        + "; the output is incomplete");
                err.flush();
                return OUTPUT_FAILED;
            }
            err.flush();
            return code;
        } finally {
            runAtExit();
        }
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "invalid input";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static synchronized void runAtExit() {
        for (Runnable r : AT_EXIT) {
            try {
                r.run();
            } catch (RuntimeException | LinkageError e) {
                // shutting down: nothing useful to report
            }
        }
        AT_EXIT.clear();
    }

    /**
     * Entry point.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // Symja's logging goes through Log4j2; silence it before any of its classes load
        System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        // not System.out: a PrintStream swallows write errors, and Main.run must see them
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(
                new StandardOutput(new java.io.FileOutputStream(java.io.FileDescriptor.out)),
                java.nio.charset.StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Standard output that remembers why a write failed, for the one-line error. */
    static final class StandardOutput extends java.io.FilterOutputStream {
        static volatile String lastError;

        StandardOutput(java.io.OutputStream out) {
            super(new java.io.BufferedOutputStream(out, 1 << 16));
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            try {
                out.write(b, off, len);
            } catch (java.io.IOException e) {
                lastError = e.getMessage();
                throw e;
            }
        }

        @Override
        public void write(int b) throws java.io.IOException {
            try {
                out.write(b);
            } catch (java.io.IOException e) {
                lastError = e.getMessage();
                throw e;
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            try {
                out.flush();
            } catch (java.io.IOException e) {
                lastError = e.getMessage();
                throw e;
            }
        }
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/ntk4j-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"ntk4j " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
