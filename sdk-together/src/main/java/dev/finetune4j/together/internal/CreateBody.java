package dev.finetune4j.together.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.kit.ProviderJson;
import dev.finetune4j.together.TogetherOptions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /fine-tunes} (Together's API reference and together-python {@code
 * create_finetune_request}): first everything that needs no answer from Together ({@link #plan},
 * refused with {@link IllegalArgumentException} before any upload), then the body, once the job's
 * starting point and its model limits ({@code GET /fine-tunes/models/limits}) are known ({@link
 * #body}). The training type is always sent ({@code Lora} unless the option says {@code full}):
 * Together's server defaults to LoRA and its low-level client to full, so only an explicit value
 * means the same everywhere.
 */
public final class CreateBody {

    /** The longest suffix Together takes ("up to 40 character suffix", together-python). */
    public static final int MAX_SUFFIX = 40;

    /** A job id, with or without {@code :STEP} (together-python's {@code ^ft-[\dabcdef-]+:\d+$}, step optional). */
    public static final Pattern JOB_ID = Pattern.compile("ft-[0-9a-f-]+(:\\d+)?");

    private static final Pattern SUFFIX_CHARS = Pattern.compile("[A-Za-z0-9._-]+");

    private CreateBody() {}

    /** Where a job starts: a base model, or a checkpoint of an earlier job (never both, as Together's clients insist). */
    public record Start(String model, String fromCheckpoint) {

        /** Checks that exactly one is set. */
        public Start {
            if ((model == null) == (fromCheckpoint == null)) {
                throw new IllegalArgumentException("a job starts from a model or from a checkpoint, not both");
            }
        }

        /** The name whose limits apply: the model, or the checkpoint without its step. */
        public String limitsName() {
            return model != null ? model : fromCheckpoint.replaceFirst(":\\d+$", "");
        }
    }

    /** Everything about a create request that needs no answer from Together. */
    public static final class Plan {
        final JobRequest request;
        final boolean lora;
        final Integer loraR;
        final Integer loraAlpha;
        final double loraDropout;
        final String loraModules;
        final String fromCheckpoint;
        final String suffix;
        final Integer nEvals;
        final Map<String, Object> scalars;
        final String trainOnInputs;
        final ObjectNode lrScheduler;

        private Plan(JobRequest request, Options o) {
            this.request = request;
            this.lora = !"full".equals(o.choice(TogetherOptions.TRAINING_TYPE, "lora", "lora", "full"));
            this.loraR = o.integer(TogetherOptions.LORA_R, 1);
            this.loraAlpha = o.integer(TogetherOptions.LORA_ALPHA, 1);
            Double dropout = o.decimal(TogetherOptions.LORA_DROPOUT, 0, 1, false);
            this.loraDropout = dropout == null ? 0.0 : dropout;
            String modules = o.raw(TogetherOptions.LORA_TRAINABLE_MODULES);
            this.loraModules = modules == null ? "all-linear" : modules.strip();
            if (!lora && (loraR != null || loraAlpha != null || dropout != null || modules != null)) {
                throw new IllegalArgumentException("together: the LoRA options (" + TogetherOptions.LORA_R + ", "
                        + TogetherOptions.LORA_ALPHA + ", " + TogetherOptions.LORA_DROPOUT + ", "
                        + TogetherOptions.LORA_TRAINABLE_MODULES + ") do not apply to " + TogetherOptions.TRAINING_TYPE
                        + "=full");
            }
            String checkpoint = o.raw(TogetherOptions.FROM_CHECKPOINT);
            this.fromCheckpoint = checkpoint == null || checkpoint.isBlank() ? null : checkpoint.strip();
            this.suffix = CreateBody.suffix(request);
            this.nEvals = o.integer(TogetherOptions.N_EVALS, 0);
            Map<String, Object> s = new LinkedHashMap<>();
            putIfSet(s, "n_checkpoints", o.integer(TogetherOptions.N_CHECKPOINTS, 1));
            putIfSet(s, "warmup_ratio", o.decimal(TogetherOptions.WARMUP_RATIO, 0, 1, true));
            putIfSet(s, "max_grad_norm", o.decimal(TogetherOptions.MAX_GRAD_NORM, 0, Double.MAX_VALUE, true));
            putIfSet(s, "weight_decay", o.decimal(TogetherOptions.WEIGHT_DECAY, 0, Double.MAX_VALUE, true));
            putIfSet(s, "packing", o.bool(TogetherOptions.PACKING));
            putIfSet(s, "max_seq_length", o.integer(TogetherOptions.MAX_SEQ_LENGTH, 1));
            this.scalars = s;
            this.trainOnInputs = o.choice(TogetherOptions.TRAIN_ON_INPUTS, "auto", "auto", "true", "false");
            this.lrScheduler = scheduler(o);
            o.refuseUnknown();
            Hyperparameters h = request.hyperparameters();
            if (h.learningRateMultiplier().isPresent()) {
                throw new IllegalArgumentException("together: Together takes an absolute learning rate, not a "
                        + "multiplier (learningRateMultiplier " + h.learningRateMultiplier().getAsDouble()
                        + "); set learningRate instead (Together's default is 1e-5)");
            }
        }

        /** The job's suffix: our tag, after the host application's suffix when it gave one. */
        public String suffix() {
            return suffix;
        }

        /** The checkpoint the options name, or null. */
        public String fromCheckpoint() {
            return fromCheckpoint;
        }

        /** Whether the job trains a LoRA adapter (else the full model). */
        public boolean lora() {
            return lora;
        }
    }

    /**
     * Reads and checks the request's options, hyper-parameters and suffix.
     *
     * @throws IllegalArgumentException naming the option or value Together cannot take, and what it takes
     */
    public static Plan plan(JobRequest request) {
        Objects.requireNonNull(request, "request");
        return new Plan(request, new Options(request.options()));
    }

    /**
     * The body, for a job that starts at {@code start}, checked against the limits Together gives
     * for it ({@code GET /fine-tunes/models/limits}).
     *
     * @throws IllegalArgumentException when a value is outside those limits, naming both
     */
    public static ObjectNode body(Plan plan, Start start, Limits limits) {
        JobRequest r = plan.request;
        Hyperparameters h = r.hyperparameters();
        String name = start.limitsName();
        ObjectNode b = ProviderJson.mapper().createObjectNode();
        b.put("training_file", r.data().trainingRef());
        r.data().validation().ifPresent(v -> b.put("validation_file", v));
        if (start.model() != null) {
            b.put("model", start.model());
        } else {
            b.put("from_checkpoint", start.fromCheckpoint());
        }
        if (h.epochs().isPresent()) {
            int epochs = h.epochs().getAsInt();
            limits.maxEpochsAllowed().ifPresent(max -> within("epochs", epochs, 1, max, name));
            b.put("n_epochs", epochs);
        }
        Object checkpoints = plan.scalars.get("n_checkpoints");
        if (checkpoints != null) {
            b.put("n_checkpoints", (Integer) checkpoints);
        }
        Integer evals = plan.nEvals;
        if (evals == null && r.data().validation().isPresent() && limits.maxEvalsAllowed().orElse(1) >= 1) {
            evals = 1;
        }
        if (evals != null) {
            int n = evals;
            limits.maxEvalsAllowed().ifPresent(max -> within(TogetherOptions.N_EVALS, n, 0, max, name));
            b.put("n_evals", n);
        }
        if (h.batchSize().isPresent()) {
            int batch = h.batchSize().getAsInt();
            Limits.Training t = plan.lora ? limits.lora() : limits.full();
            if (t != null) {
                within("batchSize", batch, t.minBatchSize(), t.maxBatchSize(), name + " (" + (plan.lora ? "LoRA" : "full")
                        + ")");
            }
            b.put("batch_size", batch);
        }
        if (h.learningRate().isPresent()) {
            double rate = h.learningRate().getAsDouble();
            if (limits.minLearningRate().isPresent() && rate < limits.minLearningRate().getAsDouble()
                    || limits.maxLearningRate().isPresent() && rate > limits.maxLearningRate().getAsDouble()) {
                throw new IllegalArgumentException("together: learningRate " + rate + " is outside what Together "
                        + "takes for " + name + ": " + limits.minLearningRate().orElse(0) + " to "
                        + limits.maxLearningRate().orElse(Double.POSITIVE_INFINITY));
            }
            b.put("learning_rate", rate);
        }
        if (plan.lrScheduler != null) {
            b.set("lr_scheduler", plan.lrScheduler);
        }
        plan.scalars.forEach((k, v) -> {
            if (!k.equals("n_checkpoints")) {
                b.set(k, ProviderJson.mapper().valueToTree(v));
            }
        });
        if (h.seed().isPresent()) {
            b.put("random_seed", h.seed().getAsInt());
        }
        b.put("suffix", plan.suffix);
        b.set("training_type", trainingType(plan, limits, name));
        ObjectNode method = b.putObject("training_method").put("method", "sft");
        switch (plan.trainOnInputs) {
            case "true" -> method.put("train_on_inputs", true);
            case "false" -> method.put("train_on_inputs", false);
            default -> method.put("train_on_inputs", "auto");
        }
        return b;
    }

    private static ObjectNode trainingType(Plan plan, Limits limits, String name) {
        ObjectNode t = ProviderJson.mapper().createObjectNode();
        if (!plan.lora) {
            if (limits.known() && limits.full() == null) {
                throw new IllegalArgumentException("together: " + name + " cannot be fully fine-tuned on Together (its "
                        + "limits have no full_training); use " + TogetherOptions.TRAINING_TYPE + "=lora");
            }
            return t.put("type", "Full");
        }
        if (limits.known() && limits.lora() == null) {
            throw new IllegalArgumentException("together: " + name + " cannot be trained with LoRA on Together (its "
                    + "limits have no lora_training); use " + TogetherOptions.TRAINING_TYPE + "=full");
        }
        Limits.Training lora = limits.lora();
        int rank;
        if (plan.loraR != null) {
            rank = plan.loraR;
            if (lora != null && lora.maxRank() > 0) {
                within(TogetherOptions.LORA_R, rank, 1, lora.maxRank(), name);
            }
        } else if (lora != null && lora.maxRank() > 0) {
            rank = lora.maxRank();
        } else {
            throw new IllegalArgumentException("together: Together gives no largest LoRA rank for " + name
                    + "; set the option " + TogetherOptions.LORA_R);
        }
        int alpha = plan.loraAlpha != null ? plan.loraAlpha : 2 * rank;
        return t.put("type", "Lora").put("lora_r", rank).put("lora_alpha", alpha).put("lora_dropout", plan.loraDropout)
                .put("lora_trainable_modules", plan.loraModules);
    }

    private static void within(String what, long value, long min, long max, String model) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("together: " + what + " " + value + " is outside what Together takes "
                    + "for " + model + ": " + min + " to " + max);
        }
    }

    private static String suffix(JobRequest r) {
        String own = r.suffix() == null ? "" : r.suffix().strip();
        if (own.isEmpty()) {
            return r.tag();
        }
        int room = MAX_SUFFIX - r.tag().length() - 1;
        if (own.length() > room || !SUFFIX_CHARS.matcher(own).matches()) {
            throw new IllegalArgumentException("together: suffix '" + own + "' must be at most " + room
                    + " letters, digits, '.', '_' or '-': Together takes " + MAX_SUFFIX + " characters and finetune4j's "
                    + "job tag '" + r.tag() + "' takes " + (r.tag().length() + 1) + " of them");
        }
        return own + "-" + r.tag();
    }

    private static ObjectNode scheduler(Options o) {
        String type = o.choice(TogetherOptions.LR_SCHEDULER, null, "linear", "cosine");
        Double ratio = o.decimal(TogetherOptions.MIN_LR_RATIO, 0, 1, true);
        Double cycles = o.decimal(TogetherOptions.NUM_CYCLES, 0, Double.MAX_VALUE, false);
        if (type == null) {
            if (ratio != null || cycles != null) {
                throw new IllegalArgumentException("together: " + TogetherOptions.MIN_LR_RATIO + " and "
                        + TogetherOptions.NUM_CYCLES + " need " + TogetherOptions.LR_SCHEDULER + " (linear or cosine)");
            }
            return null;
        }
        if (cycles != null && cycles <= 0) {
            throw new IllegalArgumentException("together: " + TogetherOptions.NUM_CYCLES + " must be above 0, was "
                    + cycles);
        }
        if (type.equals("linear") && cycles != null) {
            throw new IllegalArgumentException("together: " + TogetherOptions.NUM_CYCLES + " applies to the cosine "
                    + "scheduler only");
        }
        ObjectNode s = ProviderJson.mapper().createObjectNode().put("lr_scheduler_type", type);
        ObjectNode args = s.putObject("lr_scheduler_args").put("min_lr_ratio", ratio == null ? 0.0 : ratio);
        if (type.equals("cosine")) {
            args.put("num_cycles", cycles == null ? 0.5 : cycles);
        }
        return s;
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** The request's options, read once each; what is left unread is unknown. */
    private static final class Options {
        private final Map<String, String> left;

        Options(Map<String, String> options) {
            this.left = new LinkedHashMap<>(options);
        }

        String raw(String name) {
            return left.remove(name);
        }

        Integer integer(String name, int min) {
            String v = raw(name);
            if (v == null) {
                return null;
            }
            try {
                int n = Integer.parseInt(v.strip());
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException("together: option " + name + " is '" + v + "'; it must be a whole "
                    + "number of at least " + min);
        }

        Double decimal(String name, double min, double max, boolean maxIncluded) {
            String v = raw(name);
            if (v == null) {
                return null;
            }
            try {
                double d = Double.parseDouble(v.strip());
                if (d >= min && (maxIncluded ? d <= max : d < max)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException("together: option " + name + " is '" + v + "'; it must be a number "
                    + "from " + min + (max == Double.MAX_VALUE ? " up" : (maxIncluded ? " to " : " up to but not ")
                    + max));
        }

        Boolean bool(String name) {
            String v = choice(name, null, "true", "false");
            return v == null ? null : Boolean.valueOf(v);
        }

        String choice(String name, String dflt, String... allowed) {
            String v = raw(name);
            if (v == null) {
                return dflt;
            }
            String lower = v.strip().toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.equals(lower)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("together: option " + name + " is '" + v + "'; use one of "
                    + String.join(", ", allowed));
        }

        void refuseUnknown() {
            if (!left.isEmpty()) {
                throw new IllegalArgumentException("together: unknown option(s) " + left.keySet() + "; Together takes "
                        + String.join(", ", TogetherOptions.ALL));
            }
        }
    }

    /** Whether a name is a Together job id, with or without {@code :STEP}. */
    public static boolean isJobId(String name) {
        return JOB_ID.matcher(name).matches();
    }
}
