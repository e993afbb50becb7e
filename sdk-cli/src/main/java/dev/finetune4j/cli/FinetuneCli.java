package dev.finetune4j.cli;

import dev.finetune4j.FineTuning;
import dev.finetune4j.Tenant;
import dev.finetune4j.lifecycle.LifecycleTable;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ProviderCache;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code finetune4j} command line: the dataset lifecycle, training, the model versions, prompt
 * versions and live selection of assistants, chat and evaluation, from a terminal, built on the
 * public API only (sdk-core; provider modules are found with ServiceLoader; the testkit's emulators
 * for {@code emulator} and the offline {@code quickstart}).
 *
 * <p>Conventions (DESIGN.md): with {@code --json} a command prints exactly one JSON document on
 * stdout and nothing else there; human text goes to stdout otherwise, and errors always go to
 * stderr as {@code finetune4j: <message>}. Exit codes: 0 done, 1 the input has problems, 2 wrong
 * usage, 3 provider or network failure, 4 conflict.
 *
 * <p>Credentials never reach the terminal: everything written to stderr (messages, {@code --verbose}
 * stack traces with their causes, the libraries' logs) passes a {@link Redactor}, and so does the
 * message of a {@code --json} error document.
 */
@Command(name = "finetune4j",
        mixinStandardHelpOptions = true,
        versionProvider = FinetuneCli.Version.class,
        usageHelpAutoWidth = true,
        description = "Manage fine-tuned LLMs: validate, count tokens and cost, convert between provider "
                + "formats, keep versioned datasets in a store, train them on any provider module in the build, "
                + "keep each assistant's model versions, prompt versions and live selection (activate, roll back, "
                + "timeline), chat through the router, and evaluate versions before promoting them.",
        subcommands = {
            QuickstartCommand.class,
            ValidateCommand.class,
            StatsCommand.class,
            ConvertCommand.class,
            DatasetCommand.class,
            AssistantCommand.class,
            AssistantsCommand.class,
            ModelsCommand.class,
            VersionsCommand.class,
            ActivateCommand.class,
            DeactivateCommand.class,
            RollbackCommand.class,
            CandidateCommand.class,
            DeleteCommand.class,
            DeployCommand.class,
            UndeployCommand.class,
            DeploymentsCommand.class,
            TimelineCommand.class,
            PromptCommand.class,
            PromptsCommand.class,
            TrainCommand.class,
            JobsCommand.class,
            JobCommand.class,
            ChatCommand.class,
            CapturesCommand.class,
            FeedbackCommand.class,
            EvalCommand.class,
            PromoteCommand.class,
            DoctorCommand.class,
            MigrateCommand.class,
            MigrationsCommand.class,
            StoreCommand.class,
            EmulatorCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  done",
            "  1  the input has problems to fix (validation errors, unknown version, ...)",
            "  2  wrong usage",
            "  3  provider or network failure",
            "  4  conflict: a concurrent change won",
            "",
            "Store: --store DIR, --jdbc URL, $FINETUNE4J_STORE or $FINETUNE4J_JDBC_URL;",
            "default: the embedded file store in ./.finetune4j"
        })
public final class FinetuneCli implements Callable<Integer> {

    /** The default store directory, relative to the working directory. */
    static final Path DEFAULT_STORE = Path.of(".finetune4j");

    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "The file store directory (default: $FINETUNE4J_STORE, else ./.finetune4j).")
    Path store;

    @Option(names = "--jdbc", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The PostgreSQL store, jdbc:postgresql://HOST:PORT/DATABASE (default: "
                    + "$FINETUNE4J_JDBC_URL); user and password from the URL or $FINETUNE4J_JDBC_USER and "
                    + "$FINETUNE4J_JDBC_PASSWORD.")
    String jdbc;

    @Option(names = "--tenant", paramLabel = "TENANT", scope = ScopeType.INHERIT,
            converter = Converters.TenantConverter.class,
            description = "The tenant to work in (default: ${DEFAULT-VALUE}).", defaultValue = "default")
    Tenant tenant;

    @Option(names = "--endpoint", paramLabel = "URL", scope = ScopeType.INHERIT,
            converter = Converters.Endpoint.class,
            description = "The base URL of the provider the command talks to (its --provider, else the assistant's): "
                    + "a proxy, a gateway or `finetune4j emulator` (default: the provider's environment variable, "
                    + "e.g. $OPENAI_BASE_URL, else its public API).")
    java.net.URI endpoint;

    @Option(names = "--lifecycle", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A JSON file of lifecycle events that override or extend the shipped ones, e.g. a "
                    + "shutdown your dedicated capacity outlasts (default: $FINETUNE4J_LIFECYCLE; see "
                    + "docs/lifecycle.md).")
    Path lifecycle;

    @Option(names = "--today", paramLabel = "YYYY-MM-DD", scope = ScopeType.INHERIT, hidden = true,
            description = "Run as if today were this date (default: $FINETUNE4J_TODAY, else the real date).")
    String today;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print exactly one JSON document on stdout (snake_case, stable field names).")
    boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors and debug logs on stderr.")
    boolean verbose;

    private final OutputStream stdout;
    private final PrintWriter out;
    private final Redactor redactor = new Redactor();
    private final RedactingOutputStream stderr;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final boolean progress;
    private Clock clock;

    /**
     * A CLI writing to the given streams (UTF-8) and reading configuration from {@code env}.
     *
     * @param stdout where data and reports go; flushed, not closed
     * @param stderr where errors and progress go; flushed, not closed
     * @param env the environment variables ({@code FINETUNE4J_STORE}, {@code FINETUNE4J_JDBC_URL},
     *     {@code USER} for the default {@code --actor})
     */
    FinetuneCli(OutputStream stdout, OutputStream stderr, Map<String, String> env) {
        this(stdout, stderr, env, false);
    }

    /**
     * A CLI that draws progress lines on {@code stderr} when {@code progress} is true (stderr is a
     * terminal).
     */
    FinetuneCli(OutputStream stdout, OutputStream stderr, Map<String, String> env, boolean progress) {
        this.progress = progress;
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), false);
        this.stderr = new RedactingOutputStream(Objects.requireNonNull(stderr, "stderr"), redactor);
        this.err = new PrintWriter(new OutputStreamWriter(this.stderr, StandardCharsets.UTF_8), true);
        this.env = Map.copyOf(env);
        redactor.secret(this.env.get("FINETUNE4J_JDBC_PASSWORD"));
        redactor.secretsOf(this.env.get("FINETUNE4J_JDBC_URL"));
    }

    /**
     * Runs the command line and exits the JVM with the command's exit code.
     *
     * @param args the arguments, e.g. {@code validate train.jsonl --json}
     */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--verbose")) {
            // slf4j-simple reads its level once, when the first logger is created.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        FinetuneCli cli = new FinetuneCli(stdout, stderr, System.getenv(), Terminal.stderrIsTerminal());
        // the libraries' logs (slf4j-simple, java.util.logging) write to System.err: through the same filter
        System.setErr(new PrintStream(cli.stderr, true, StandardCharsets.UTF_8));
        System.exit(cli.execute(args));
    }

    /** Runs one command line and returns its exit code; never throws, never exits the JVM. */
    int execute(String... args) {
        for (String arg : args) {
            if (arg.contains("://") || arg.contains("jdbc:")) {
                // a password in --jdbc (or any URL argument) is masked wherever it shows up, even decoded
                redactor.secretsOf(arg);
            }
        }
        CommandLine cl = new CommandLine(this);
        cl.getCommandSpec().usageMessage().footer(withProviders(cl.getCommandSpec().usageMessage().footer()));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> usageError(ex, Arrays.asList(a).contains("--json")));
        cl.setExecutionExceptionHandler(this::failed);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
            try {
                stdout.flush();
            } catch (IOException e) {
                // stdout is gone (a closed pipe); there is nobody left to tell.
            }
        }
    }

    /**
     * The footer with the provider modules of this build, as their descriptors say: each id and
     * display name, what it cannot do, its default base model, and (indented, wrapped to 80
     * columns) the environment variables it reads.
     */
    static String[] withProviders(String[] footer) {
        List<String> lines = new ArrayList<>(Arrays.asList(footer));
        Map<String, ProviderDescriptor> providers = ProviderRegistry.descriptors();
        lines.add("");
        lines.add("Providers in this build (--provider ID) and the variables they read");
        lines.add("(--endpoint URL overrides the base URL):");
        int width = providers.keySet().stream().mapToInt(String::length).max().orElse(0) + 4;
        providers.forEach((id, d) -> {
            StringBuilder head = new StringBuilder("  ").append(id).append(" ".repeat(width - id.length() - 2))
                    .append(d.displayName());
            if (!d.capabilities().has(Capability.TRAINING)) {
                head.append(", no training");
            }
            if (!d.capabilities().has(Capability.CHAT)) {
                head.append(", no chat");
            }
            d.defaultBaseModel().ifPresent(m -> head.append(", default model ").append(m));
            lines.add(head.toString());
            StringBuilder vars = new StringBuilder(" ".repeat(width));
            for (String v : d.environmentVariables()) {
                if (vars.length() > width && vars.length() + v.length() + 2 > 79) {
                    lines.add(vars.toString());
                    vars = new StringBuilder(" ".repeat(width));
                }
                vars.append(vars.length() > width ? " $" : "$").append(v);
            }
            if (vars.length() > width) {
                lines.add(vars.toString());
            }
        });
        if (providers.isEmpty()) {
            lines.add("  none: add a provider module (finetune4j-openai, ...) to the class path");
        }
        lines.add("Without a key: `finetune4j emulator`, and export the lines it prints.");
        return lines.toArray(String[]::new);
    }

    /** Without a subcommand: the usage on stderr and exit 2. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    // ---- what the commands share ----

    /** Whether {@code --json} was given. */
    boolean json() {
        return json;
    }

    /** Whether {@code --endpoint} was given. */
    boolean endpointGiven() {
        return endpoint != null;
    }

    /** Whether progress lines may be drawn on stderr: it is a terminal. */
    boolean progress() {
        return progress;
    }

    /** An environment variable, or null when unset or blank. */
    String env(String name) {
        return blankToNull(env.get(name));
    }

    /** Human output (stdout); callers check {@link #json()} first. */
    PrintWriter out() {
        return out;
    }

    /** Errors, warnings and progress. */
    PrintWriter err() {
        return err;
    }

    /** Who changes a selection unless {@code --actor} says: {@code $USER}, else {@code cli}. */
    String defaultActor() {
        String user = blankToNull(env.get("USER"));
        return user != null ? user : "cli";
    }

    /** Prints a JSON document on stdout. */
    void printJson(com.fasterxml.jackson.databind.node.ObjectNode doc) {
        out.println(JsonDocs.write(doc));
        out.flush();
    }

    /**
     * The raw stdout for data lines (convert, export). The text writer is flushed first so that
     * both stay in order.
     */
    OutputStream dataOut() {
        out.flush();
        return stdout;
    }

    /** The clock of this run: the real one, or shifted to {@code --today} / {@code $FINETUNE4J_TODAY}. */
    Clock clock() {
        if (clock == null) {
            clock = Today.clock(today, env, Clock.systemUTC());
        }
        return clock;
    }

    /**
     * The shipped lifecycle table with the override file applied ({@code --lifecycle}, else {@code
     * $FINETUNE4J_LIFECYCLE}); empty without a file, so the library uses its default.
     *
     * @throws InputException when the file is missing or wrong, naming the entry and field
     */
    private Optional<LifecycleTable> lifecycleTable() {
        String file = lifecycle != null ? lifecycle.toString() : blankToNull(env.get("FINETUNE4J_LIFECYCLE"));
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LifecycleTable.defaults().toBuilder().merge(Path.of(file)).build());
        } catch (IllegalArgumentException e) {
            throw new InputException("lifecycle", e.getMessage());
        }
    }

    /**
     * Opens the store and the library on it, bound to {@code --tenant}: the PostgreSQL store for
     * {@code --jdbc} (or {@code FINETUNE4J_JDBC_URL} without {@code --store}), else the file store in
     * {@code --store}, {@code FINETUNE4J_STORE} or ./.finetune4j.
     */
    Session open(CommandSpec caller) {
        Optional<LifecycleTable> table = lifecycleTable();
        String envJdbc = blankToNull(env.get("FINETUNE4J_JDBC_URL"));
        String envStore = blankToNull(env.get("FINETUNE4J_STORE"));
        if (store != null && jdbc != null) {
            throw new ParameterException(caller.commandLine(), "use either --store or --jdbc, not both");
        }
        if (store == null && jdbc == null && envStore != null && envJdbc != null) {
            throw new ParameterException(caller.commandLine(), "both FINETUNE4J_STORE and FINETUNE4J_JDBC_URL "
                    + "are set; unset one, or choose with --store DIR or --jdbc URL");
        }
        String url = jdbc != null ? jdbc : store == null ? envJdbc : null;
        VersionStore vs;
        String location;
        if (url != null) {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new ParameterException(caller.commandLine(), "the JDBC store needs a PostgreSQL URL "
                        + "(jdbc:postgresql://HOST:PORT/DATABASE), got '" + UrlDataSource.printable(url) + "'");
            }
            vs = VersionStores.jdbc(new UrlDataSource(url, blankToNull(env.get("FINETUNE4J_JDBC_USER")),
                    blankToNull(env.get("FINETUNE4J_JDBC_PASSWORD"))), clock());
            location = UrlDataSource.printable(url);
        } else {
            Path dir = store != null ? store : envStore != null ? Path.of(envStore) : DEFAULT_STORE;
            vs = VersionStores.file(dir, clock());
            location = dir.toString();
        }
        // the store remembers what providers learn (e.g. a Hugging Face token's owner) across processes
        ProviderRegistry providers = new ProviderRegistry(env, endpoint, ProviderCache.inStore(vs, tenant, clock()));
        FineTuning.Builder builder = FineTuning.builder().store(vs).tenant(tenant).clock(clock());
        providers.lazyProviders().forEach(builder::provider);
        table.ifPresent(builder::lifecycleTable);
        return new Session(builder.build(), vs, location, providers);
    }

    /**
     * The library on an open store, with every provider module configured on first use; closing it
     * closes the providers it created and the store.
     *
     * @param location the store's directory or JDBC URL (without credentials), for messages
     * @param providers the providers the library calls, see {@link ProviderRegistry}
     */
    record Session(FineTuning ft, VersionStore store, String location, ProviderRegistry providers)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                providers.close();
            } finally {
                ft.close();
                store.close();
            }
        }
    }

    // ---- failures ----

    private int usageError(ParameterException ex, boolean jsonRequested) {
        CommandLine cl = ex.getCommandLine();
        String message = redactor.redact(ex.getMessage());
        err.println("finetune4j: " + message);
        if (!UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        if (jsonRequested) {
            printJson(JsonDocs.error("usage", message, ExitCodes.USAGE));
        }
        return ExitCodes.USAGE;
    }

    private int failed(Exception ex, CommandLine cl, ParseResult parsed) {
        if (isBrokenPipe(ex)) {
            // `finetune4j dataset export ... | head`: the reader has all it wanted.
            return ExitCodes.OK;
        }
        Failure f = Failure.of(ex);
        String message = redactor.redact(f.message());
        err.println("finetune4j: " + message);
        if (verbose) {
            // through stderr's redaction, causes included (a driver's "UnknownHostException: u:SECRET@host")
            ex.printStackTrace(err);
        }
        if (json) {
            printJson(JsonDocs.error(f.type(), message, f.exitCode()));
        }
        return f.exitCode();
    }

    private static boolean isBrokenPipe(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof IOException && c.getMessage() != null && c.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The version from the build (a filtered resource, so it works from classes and from the jar). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = FinetuneCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {
                "finetune4j " + p.getProperty("version", "(unknown version)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
