package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.huggingface.HuggingFaceOptions;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.kit.ProviderJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a {@link JobRequest} into the body of {@code POST /api/jobs/{namespace}}: image, command,
 * environment, secrets, flavor, time limit and labels. Stateless.
 */
public final class JobSpecs {

    /** The label holding our job id. */
    public static final String LABEL_JOB = "finetune4j_job";

    /** The label holding the assistant's name. */
    public static final String LABEL_ASSISTANT = "finetune4j_assistant";

    /** The environment variable the default command reads the SFT script from (base64). */
    public static final String SCRIPT_ENV = "FINETUNE4J_SFT_SCRIPT";

    /** The secret the token is passed in (never in {@code environment}). */
    public static final String TOKEN_SECRET = "HF_TOKEN";

    /** Where the job writes the adapter before pushing it. */
    public static final String OUTPUT_DIR = "/tmp/finetune4j-output";

    /** Decodes the script and runs it with the arguments that follow ({@code $@}). */
    static final String BOOTSTRAP = "printf '%s' \"$" + SCRIPT_ENV + "\" | base64 -d > /tmp/finetune4j_sft.py"
            + " && exec python /tmp/finetune4j_sft.py \"$@\"";

    private static final String SCRIPT_RESOURCE = "finetune4j_sft.py";
    private static final String SCRIPT_BASE64 = Base64.getEncoder().encodeToString(readScript());
    private static final Set<String> KNOWN_OPTIONS = Set.of(HuggingFaceOptions.FLAVOR, HuggingFaceOptions.TIMEOUT,
            HuggingFaceOptions.IMAGE, HuggingFaceOptions.COMMAND, HuggingFaceOptions.EXTRA_ARGS,
            HuggingFaceOptions.ADAPTER, HuggingFaceOptions.ADAPTER_REVISION, HuggingFaceOptions.BASE_MODEL,
            HuggingFaceOptions.LORA_R, HuggingFaceOptions.LORA_ALPHA);
    private static final Pattern FLAVOR = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern SPACE = Pattern.compile("^(https://huggingface\\.co/spaces/|https://hf\\.co/spaces/"
            + "|huggingface\\.co/spaces/|hf\\.co/spaces/)");
    private static final long DEFAULT_BATCH = 8;

    private JobSpecs() {}

    /**
     * Provider-wide defaults for jobs.
     *
     * @param flavor the flavor when a job names none
     * @param timeout the time limit when a job names none
     * @param image the image when a job names none
     */
    public record Defaults(String flavor, Duration timeout, String image) {

        /** Checks the parts. */
        public Defaults {
            Objects.requireNonNull(flavor, "flavor");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(image, "image");
        }

        /** The built-in defaults. */
        public static Defaults builtIn() {
            return new Defaults(HuggingFaceOptions.DEFAULT_FLAVOR, HuggingFaceOptions.DEFAULT_TIMEOUT,
                    HuggingFaceOptions.DEFAULT_IMAGE);
        }
    }

    /**
     * Everything a job's body is made of, resolved.
     *
     * @param tag our job id
     * @param assistant the assistant name as a label value
     * @param baseModel the base model trained (under the adapter when continuing)
     * @param adapter the adapter continued, or {@code null}
     * @param adapterRevision the adapter's revision
     * @param dataset the training data reference
     * @param validation the validation data reference, or {@code null}
     * @param hubModelId where the adapter is pushed
     * @param epochs epochs
     * @param learningRate peak learning rate
     * @param batchSize per-device batch size, or {@code null} for TRL's default (8)
     * @param seed the seed, or {@code null}
     * @param loraR the LoRA rank
     * @param loraAlpha the LoRA alpha
     * @param loggingSteps how often the trainer logs
     * @param flavor the hardware flavor
     * @param timeout the time limit
     * @param image the image
     * @param command the command, or {@code null} for the default one
     * @param extraArgs arguments appended to the default command
     */
    public record Plan(String tag, String assistant, String baseModel, String adapter, String adapterRevision,
            RepoNames.Ref dataset, RepoNames.Ref validation, String hubModelId, int epochs, double learningRate,
            Integer batchSize, Integer seed, int loraR, int loraAlpha, int loggingSteps, String flavor,
            Duration timeout, String image, List<String> command, List<String> extraArgs) {

        /** Whether this job continues an adapter. */
        public boolean continues() {
            return adapter != null;
        }
    }

    /** The model repository a job's adapter is pushed to. */
    public static String hubModelId(String namespace, String assistant, String tag) {
        return namespace + "/" + RepoNames.repoName(assistant, tag);
    }

    /**
     * Resolves a request.
     *
     * @param adapterBase the base model of an adapter repository (from its {@code
     *     adapter_config.json}), empty when the repository is not an adapter
     * @throws IllegalArgumentException for options that cannot be used, before anything is sent
     */
    public static Plan plan(JobRequest request, String namespace, Defaults defaults,
            Function<String, Optional<String>> adapterBase) {
        Map<String, String> options = request.options();
        Checked checked = check(request, namespace, defaults);
        RepoNames.Ref dataset = RepoNames.parseRef(request.data().trainingRef());
        RepoNames.Ref validation = request.data().validation().map(RepoNames::parseRef).orElse(null);
        String flavor = checked.flavor();
        Duration timeout = checked.timeout();
        String image = checked.image();
        List<String> command = checked.command();
        List<String> extra = checked.extra();

        String adapter = blankToNull(options.get(HuggingFaceOptions.ADAPTER));
        String base = blankToNull(options.get(HuggingFaceOptions.BASE_MODEL));
        if (adapter == null) {
            Optional<String> underlying = adapterBase.apply(request.baseModel());
            if (underlying.isPresent()) {
                adapter = request.baseModel();
                if (base == null) {
                    base = underlying.get();
                }
            }
        } else if (base == null) {
            base = adapter.equals(request.baseModel())
                    ? adapterBase.apply(adapter).orElseThrow(() -> new IllegalArgumentException("huggingface: the "
                            + "adapter '" + request.baseModel() + "' has no adapter_config.json naming its base model; "
                            + "set the option '" + HuggingFaceOptions.BASE_MODEL + "'"))
                    : request.baseModel();
        }
        if (base == null) {
            base = request.baseModel();
        }
        if (adapter != null && base.isBlank()) {
            throw new IllegalArgumentException("huggingface: the base model of adapter '" + adapter + "' is unknown; "
                    + "set the option '" + HuggingFaceOptions.BASE_MODEL + "'");
        }

        Hyperparameters h = request.hyperparameters();
        boolean continues = adapter != null;
        double defaultRate = HuggingFaceOptions.DEFAULT_LEARNING_RATE
                * (continues ? HuggingFaceOptions.CONTINUE_LEARNING_RATE_FACTOR : 1.0);
        double rate = h.learningRate().isPresent() ? h.learningRate().getAsDouble()
                : defaultRate * (h.learningRateMultiplier().isPresent() ? h.learningRateMultiplier().getAsDouble() : 1.0);
        int epochs = h.epochs().isPresent() ? h.epochs().getAsInt()
                : continues ? HuggingFaceOptions.CONTINUE_EPOCHS : HuggingFaceOptions.DEFAULT_EPOCHS;
        Integer batch = h.batchSize().isPresent() ? h.batchSize().getAsInt() : null;
        Integer seed = h.seed().isPresent() ? h.seed().getAsInt() : null;

        long examples = parseLong(request.data().details().get("training_examples"), 0);
        long steps = (long) Math.ceil((double) examples / (batch == null ? DEFAULT_BATCH : batch)) * epochs;
        int loggingSteps = (int) Math.max(1, Math.min(10, (steps + 49) / 50));

        String assistant = RepoNames.labelValue(request.assistant());
        return new Plan(request.tag(), assistant, base, adapter,
                options.getOrDefault(HuggingFaceOptions.ADAPTER_REVISION, "main"), dataset, validation,
                hubModelId(namespace, request.assistant(), request.tag()), epochs, rate, batch, seed,
                positive(options, HuggingFaceOptions.LORA_R, HuggingFaceOptions.DEFAULT_LORA_R),
                positive(options, HuggingFaceOptions.LORA_ALPHA, HuggingFaceOptions.DEFAULT_LORA_ALPHA),
                loggingSteps, flavor, timeout, image, command, extra);
    }

    /** The options of a request, checked: what {@link #plan} needs from them before anything else. */
    private record Checked(String flavor, Duration timeout, String image, List<String> command, List<String> extra) {}

    /**
     * Checks a request's options and start flag — everything that needs neither the uploaded data
     * nor the Hub — so that a request the provider cannot take fails before any data leaves the
     * machine ({@code TrainingService.checkRequest}); {@link #plan} checks the same again.
     *
     * @throws IllegalArgumentException naming the option that cannot be used
     */
    public static void check(JobRequest request, Defaults defaults) {
        check(request, null, defaults);
    }

    private static Checked check(JobRequest request, String namespace, Defaults defaults) {
        Map<String, String> options = request.options();
        if (options.containsKey(HuggingFaceOptions.NAMESPACE)) {
            throw new IllegalArgumentException("huggingface: the option 'namespace' is not accepted per job (a job in "
                    + "another namespace could not be found again after a crash); configure the provider's "
                    + "'namespace' setting instead (one provider per namespace)"
                    + (namespace == null ? "" : ". This provider uses '" + namespace + "'"));
        }
        for (String name : options.keySet()) {
            if (!KNOWN_OPTIONS.contains(name)) {
                throw new IllegalArgumentException("huggingface: unknown job option '" + name + "'; known: "
                        + String.join(", ", new java.util.TreeSet<>(KNOWN_OPTIONS)));
            }
        }
        if (!request.start()) {
            throw new IllegalArgumentException("huggingface: Jobs start when created; there is no cost preview to "
                    + "create one without starting it (estimate locally with HuggingFaceProvider.estimateHours)");
        }

        String flavor = options.getOrDefault(HuggingFaceOptions.FLAVOR, defaults.flavor()).strip();
        if (!FLAVOR.matcher(flavor).matches()) {
            throw new IllegalArgumentException("huggingface: flavor '" + flavor + "' is not a hardware name such as "
                    + "a10g-small, a100-large or h200");
        }
        Duration timeout = options.containsKey(HuggingFaceOptions.TIMEOUT)
                ? parseTimeout(options.get(HuggingFaceOptions.TIMEOUT)) : defaults.timeout();
        String image = options.getOrDefault(HuggingFaceOptions.IMAGE, defaults.image()).strip();
        if (image.isEmpty()) {
            throw new IllegalArgumentException("huggingface: the option 'image' is empty");
        }
        List<String> command = options.containsKey(HuggingFaceOptions.COMMAND)
                ? stringArray(options.get(HuggingFaceOptions.COMMAND), HuggingFaceOptions.COMMAND, true) : null;
        List<String> extra = options.containsKey(HuggingFaceOptions.EXTRA_ARGS)
                ? words(options.get(HuggingFaceOptions.EXTRA_ARGS)) : List.of();
        if (command != null && command.isEmpty()) {
            throw new IllegalArgumentException("huggingface: the option 'command' is an empty array");
        }

        positive(options, HuggingFaceOptions.LORA_R, HuggingFaceOptions.DEFAULT_LORA_R);
        positive(options, HuggingFaceOptions.LORA_ALPHA, HuggingFaceOptions.DEFAULT_LORA_ALPHA);
        return new Checked(flavor, timeout, image, command, extra);
    }

    /** The arguments of the default command after the bootstrap: those of {@code trl sft} and the script's own. */
    public static List<String> scriptArgs(Plan p) {
        List<String> a = new ArrayList<>();
        add(a, "--model_name_or_path", p.baseModel());
        add(a, "--dataset_name", p.dataset().repo());
        add(a, "--dataset_revision", p.dataset().revision());
        add(a, "--train_file", p.dataset().path());
        if (p.validation() != null) {
            add(a, "--validation_file", p.validation().path());
            add(a, "--dataset_test_split", "validation");
            add(a, "--eval_strategy", "epoch");
        }
        if (p.continues()) {
            add(a, "--adapter_name_or_path", p.adapter());
            add(a, "--adapter_revision", p.adapterRevision());
        }
        a.add("--use_peft");
        add(a, "--lora_r", Integer.toString(p.loraR()));
        add(a, "--lora_alpha", Integer.toString(p.loraAlpha()));
        add(a, "--num_train_epochs", Integer.toString(p.epochs()));
        add(a, "--learning_rate", number(p.learningRate()));
        if (p.batchSize() != null) {
            add(a, "--per_device_train_batch_size", p.batchSize().toString());
        }
        if (p.seed() != null) {
            add(a, "--seed", p.seed().toString());
        }
        add(a, "--dtype", "auto");
        add(a, "--logging_steps", Integer.toString(p.loggingSteps()));
        add(a, "--report_to", "none");
        add(a, "--output_dir", OUTPUT_DIR);
        a.add("--push_to_hub");
        add(a, "--hub_model_id", p.hubModelId());
        add(a, "--hub_private_repo", "true");
        a.addAll(p.extraArgs());
        return a;
    }

    /** The command the job runs: the host app's (placeholders replaced) or the default one. */
    public static List<String> command(Plan p) {
        if (p.command() != null) {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("{base_model}", p.baseModel());
            values.put("{dataset_repo}", p.dataset().repo());
            values.put("{dataset_revision}", p.dataset().revision());
            values.put("{train_file}", p.dataset().path());
            values.put("{validation_file}", p.validation() == null ? "" : p.validation().path());
            values.put("{hub_model_id}", p.hubModelId());
            values.put("{epochs}", Integer.toString(p.epochs()));
            values.put("{learning_rate}", number(p.learningRate()));
            values.put("{adapter}", p.adapter() == null ? "" : p.adapter());
            List<String> out = new ArrayList<>();
            for (String part : p.command()) {
                String s = part;
                for (Map.Entry<String, String> v : values.entrySet()) {
                    s = s.replace(v.getKey(), v.getValue());
                }
                out.add(s);
            }
            return out;
        }
        List<String> c = new ArrayList<>(List.of("bash", "-c", BOOTSTRAP, "finetune4j-sft"));
        c.addAll(scriptArgs(p));
        return c;
    }

    /**
     * The body of {@code POST /api/jobs/{namespace}}. The token goes in {@code secrets} only;
     * {@code environment} holds the script and {@code PYTHONUNBUFFERED} (log lines arrive as printed).
     */
    public static ObjectNode body(Plan p, String token) {
        Objects.requireNonNull(token, "token");
        ObjectNode body = ProviderJson.mapper().createObjectNode();
        java.util.regex.Matcher space = SPACE.matcher(p.image());
        if (space.find()) {
            body.put("spaceId", p.image().substring(space.end()));
        } else {
            body.put("dockerImage", p.image());
        }
        ArrayNode command = body.putArray("command");
        command(p).forEach(command::add);
        body.putArray("arguments");
        ObjectNode env = body.putObject("environment");
        if (p.command() == null) {
            env.put(SCRIPT_ENV, SCRIPT_BASE64);
        }
        env.put("PYTHONUNBUFFERED", "1");
        body.putObject("secrets").put(TOKEN_SECRET, token);
        body.put("flavor", p.flavor());
        body.put("timeoutSeconds", p.timeout().toSeconds());
        body.putObject("labels").put(LABEL_JOB, RepoNames.labelValue(p.tag())).put(LABEL_ASSISTANT, p.assistant());
        return body;
    }

    /** The SFT script the default command runs. */
    public static String script() {
        return new String(Base64.getDecoder().decode(SCRIPT_BASE64), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Parses a time limit: seconds, a number with {@code s}/{@code m}/{@code h}/{@code d}, or ISO-8601.
     *
     * @throws IllegalArgumentException for anything else, or a limit under one minute
     */
    public static Duration parseTimeout(String value) {
        String v = Objects.requireNonNull(value, "value").strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.startsWith("p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else {
                char unit = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
                String digits = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
                double n = Double.parseDouble(digits);
                double seconds = switch (unit) {
                    case 's' -> n;
                    case 'm' -> n * 60;
                    case 'h' -> n * 3600;
                    case 'd' -> n * 86400;
                    default -> {
                        if (!Character.isDigit(unit)) {
                            throw new NumberFormatException(v);
                        }
                        yield n;
                    }
                };
                d = Duration.ofSeconds(Math.round(seconds));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("huggingface: timeout '" + value + "' is not a duration such as 3600, "
                    + "90m, 2h or PT2H", e);
        }
        if (d.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("huggingface: timeout '" + value + "' is under one minute");
        }
        return d;
    }

    /** A number as Python reads it, to 10 significant digits, without exponent or float noise: {@code 0.00002}. */
    static String number(double v) {
        return new BigDecimal(v, new MathContext(10)).stripTrailingZeros().toPlainString();
    }

    private static List<String> words(String value) {
        String v = value.strip();
        if (v.startsWith("[")) {
            return stringArray(v, HuggingFaceOptions.EXTRA_ARGS, false);
        }
        return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
    }

    private static List<String> stringArray(String json, String option, boolean required) {
        JsonNode node;
        try {
            node = ProviderJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("huggingface: the option '" + option + "' must be a JSON array of "
                    + "strings such as [\"python\", \"train.py\"]: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("huggingface: the option '" + option + "' must be a JSON array of "
                    + "strings" + (required ? " such as [\"python\", \"train.py\"]" : ""));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("huggingface: the option '" + option + "' holds " + item
                        + ", which is not a string");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static int positive(Map<String, String> options, String name, int fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("huggingface: the option '" + name + "' must be a positive whole number, "
                + "was '" + v + "'");
    }

    private static long parseLong(String v, long fallback) {
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static void add(List<String> args, String flag, String value) {
        args.add(flag);
        args.add(value);
    }

    private static byte[] readScript() {
        try (InputStream in = JobSpecs.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + SCRIPT_RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
