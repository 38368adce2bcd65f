package io.github.ntk4j.cli;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.NumericalFailureException;
import io.github.ntk4j.OutputException;
import io.github.ntk4j.RunInterruptedException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ntk4j} command line. Every sub-command only parses options, calls the library
 * and prints. Exit codes (one mapping, {@link #exitCode(Throwable)}; listed in {@code --help},
 * README and docs/ARCHITECTURE.md): 0 success or PASS, 1 a check FAILed, 2 bad usage, bad
 * input or a refused result ({@link InvalidInputException}, also a JVM out of memory), 3
 * INCONCLUSIVE, 4 numerical failure ({@link NumericalFailureException}), 74 output could not be
 * written ({@link OutputException}), 130 interrupted ({@link RunInterruptedException}, or SIGINT),
 * 143 terminated by SIGTERM (the JVM's own code, 128 + 15), 70 an internal error (anything else:
 * a bug). On either signal the JVM's shutdown hooks delete the temporary files of unfinished
 * writes ({@link io.github.ntk4j.io.AtomicFile}); standard output, held back in a
 * {@link WholeOutput}, gets nothing.
 */
@Command(name = "ntk4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Exact infinite-width NTK and NNGP kernels of fully connected networks, "
                + "checked against finite-width networks.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:success (every check PASSed)",
            " 1:a check FAILed",
            " 2:bad usage, bad input, or a result refused (does not fit a double, needs more memory than allowed)",
            " 3:INCONCLUSIVE: the data cannot decide (verify, train)",
            " 4:numerical failure on valid input (no convergence, not positive definite)",
            "74:output could not be written",
            "130:interrupted (SIGINT, Ctrl-C)",
            "143:terminated (SIGTERM)",
            "70:internal error (a bug: please report it)"})
public final class Main implements Runnable {
    /** The commands, in the order the usage lists them; added by {@link #commandLine}. */
    private static final Class<?>[] COMMANDS = {VerifyCommand.class, KernelCommand.class, GramCommand.class,
        DeriveCommand.class, EmpiricalCommand.class, SpectrumCommand.class, PredictCommand.class, FourierCommand.class,
        TrainCommand.class, PathKernelCommand.class, BenchCommand.class, LearnCommand.Classify.class,
        LearnCommand.Regress.class, InterpolateCommand.class, CommandLine.HelpCommand.class};

    /** Exit code of success: every check passed. */
    public static final int OK = 0;
    /** Exit code of a failed check. */
    public static final int CHECK_FAILED = 1;
    /** Exit code of bad usage, bad input or a refused result. */
    public static final int BAD_INPUT = 2;
    /** Exit code of a check that could not decide (INCONCLUSIVE). */
    public static final int INCONCLUSIVE = 3;
    /** Exit code of a numerical failure on valid input. */
    public static final int NUMERICAL_FAILURE = 4;
    /** Exit code of an internal error (sysexits' EX_SOFTWARE). */
    public static final int INTERNAL = 70;
    /** Exit code of an output that could not be written (sysexits' EX_IOERR). */
    public static final int OUTPUT_FAILED = 74;
    /** Exit code of an interrupted run (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

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
        CommandLine cl = commandLine(args);
        // the command writes into a holding buffer: standard output gets a whole result or nothing
        WholeOutput held = new WholeOutput();
        PrintWriter heldOut = new PrintWriter(held, false);
        cl.setOut(heldOut);
        cl.setErr(err);
        cl.setExecutionStrategy(parseResult -> {
            try {
                OutputFiles.check(parseResult); // an output that is an input is refused before any work
                OutputFiles.checkLists(parseResult); // so is an empty list ("--sigmas ,")
            } catch (Ntk4jException e) {
                throw new CommandLine.ExecutionException(deepest(parseResult).commandSpec().commandLine(), e.getMessage(), e);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        Formats.register(cl);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> report(err, c.getCommandSpec().qualifiedName(), ex));
        int code;
        try {
            code = cl.execute(args);
        } catch (Throwable t) { // picocli hands only Exceptions to the handler; an Error (OutOfMemoryError) ends here
            code = report(err, commandName(cl), t);
        } finally {
            runAtExit();
        }
        heldOut.flush();
        if (heldOut.checkError() && code != OUTPUT_FAILED) { // the holding file could not be written
            err.println(commandName(cl) + ": error: standard output could not be held back until the end "
                    + "(the temporary directory is full or not writable); nothing was printed");
            code = OUTPUT_FAILED;
        }
        if (code == OK || code == CHECK_FAILED || code == INCONCLUSIVE) {
            try {
                held.copyTo(out);
            } catch (java.io.IOException e) {
                err.println(commandName(cl) + ": error: standard output could not be read back (" + e.getMessage()
                        + "); the output is incomplete");
                code = OUTPUT_FAILED;
            }
            out.flush();
        }
        held.close();
        // PrintWriter swallows write errors (a full disk, a closed pipe): they are only seen here
        if (out.checkError() && code != OUTPUT_FAILED) {
            String why = StandardOutput.lastError;
            err.println(commandName(cl) + ": error: standard output could not be written"
                    + (why == null ? "" : " (" + why + ")") + "; the output is incomplete");
            code = OUTPUT_FAILED;
        }
        err.flush();
        return code;
    }

    /**
     * The command line of the tool: all commands, or only the one that {@code args[0]} names
     * exactly. Why: picocli builds the model of every command it holds by reflection, and the
     * fifteen of them cost 0.35 s of CPU and 0.5 s of wall time at every start (2-core machine,
     * load 11; 0.65 s CPU against 0.30 s for predict's alone), more than the JVM's own start.
     * Anything else (no command, an option, a misspelt command, help) gets them all, so usage,
     * suggestions and errors read as before.
     *
     * @param args the arguments
     * @return the command line, its commands added
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = args.length > 0 ? named(args[0]) : null;
        for (Class<?> c : COMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
        return cl;
    }

    /** @return the command class called {@code name} (not help), or null */
    private static Class<?> named(String name) {
        for (Class<?> c : COMMANDS) {
            Command a = c.getAnnotation(Command.class);
            if (c != CommandLine.HelpCommand.class && a != null && a.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static CommandLine.ParseResult deepest(CommandLine.ParseResult pr) {
        while (pr.hasSubcommand()) {
            pr = pr.subcommand();
        }
        return pr;
    }

    /** The qualified name of the (sub-)command that ran, e.g. "ntk4j bench gram". */
    private static String commandName(CommandLine root) {
        CommandLine.ParseResult pr = root.getParseResult();
        if (pr == null) {
            return root.getCommandName();
        }
        while (pr.hasSubcommand()) {
            pr = pr.subcommand();
        }
        return pr.commandSpec().qualifiedName();
    }

    /**
     * The exit code of a run that ended with an exception: the single mapping from failure
     * kind to exit code.
     *
     * @param t what ended the run
     * @return the exit code
     */
    public static int exitCode(Throwable t) {
        if (t instanceof InvalidInputException || t instanceof OutOfMemoryError) {
            return BAD_INPUT;
        }
        if (t instanceof NumericalFailureException) {
            return NUMERICAL_FAILURE;
        }
        if (t instanceof OutputException) {
            return OUTPUT_FAILED;
        }
        if (t instanceof RunInterruptedException) {
            return INTERRUPTED;
        }
        return INTERNAL;
    }

    /**
     * The failure to report: the first {@link Ntk4jException} or {@link OutOfMemoryError} in the
     * cause chain (a worker pool wraps what its threads threw), else the throwable itself.
     */
    static Throwable failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Ntk4jException || c instanceof OutOfMemoryError) {
                return c;
            }
        }
        return t;
    }

    /** Prints one line for a failure (never a stack trace) and returns its exit code. */
    private static int report(PrintWriter err, String command, Throwable thrown) {
        Throwable t = failure(thrown);
        int code = exitCode(t);
        if (t instanceof Ntk4jException) {
            err.println(command + ": error: " + io.github.ntk4j.internal.Messages.clip(firstLine(t.getMessage()),
                    io.github.ntk4j.internal.Messages.MAX_MESSAGE));
        } else if (t instanceof OutOfMemoryError) {
            err.println(command + ": error: out of memory (raise -Xmx, e.g. java -Xmx8g -jar ntk4j.jar ..., "
                    + "or reduce the size)");
        } else {
            err.println(command + ": internal error: " + io.github.ntk4j.internal.Messages.clip(firstLine(String.valueOf(t)),
                    io.github.ntk4j.internal.Messages.MAX_MESSAGE) + (t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0] : ""));
        }
        err.flush();
        return code;
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
