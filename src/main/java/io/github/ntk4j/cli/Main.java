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
            BenchCommand.class, LearnCommand.Classify.class, LearnCommand.Regress.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code of a failed check. */
    public static final int CHECK_FAILED = 1;
    /** Exit code of bad usage or bad input. */
    public static final int BAD_INPUT = 2;
    /** Exit code of an internal error. */
    public static final int INTERNAL = 70;

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
            int code = cl.execute(args);
            out.flush();
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
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
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
