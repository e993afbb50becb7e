package dev.finetune4j.testkit.internal.together;

import static dev.finetune4j.testkit.internal.together.TogetherErrors.invalid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.StoredFile;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * The emulator's prices: what a job costs ({@link #tokens}, {@link #nanos}: the same math for the
 * job's {@code total_price} when it completes and for its estimate), and {@code POST
 * /v1/fine-tunes/estimate-price}, which prices uploaded files before a job exists: {@code
 * estimated_total_price} in dollars (a job's {@code total_price} is nano-dollars; the same amount),
 * the token counts, the account's credit limit as {@code user_limit}, and {@code allowed_to_proceed}
 * when the price is at most that limit (Together's rule, "significantly greater than your credit
 * limit and balance combined", has no published threshold). The emulator's rate, {@value
 * #NANOS_PER_TOKEN} nano-dollars a token whatever the model and training type, is not Together's
 * price list. Called under {@link TogetherApi}'s lock.
 */
final class TogetherPrices {

    /** The emulator's price per token processed, in nano-dollars: $0.50 per million; not Together's price list. */
    static final long NANOS_PER_TOKEN = 500;

    /** The fields {@code FinetunePriceEstimationRequest} and the reference page name. */
    private static final Set<String> FIELDS = Set.of("training_file", "validation_file", "model", "n_epochs", "n_evals",
            "training_method", "training_type", "from_checkpoint");

    private final TogetherApi api;
    private final TogetherJobs jobs;
    private volatile BigDecimal creditLimit;

    TogetherPrices(TogetherApi api, TogetherJobs jobs, BigDecimal creditLimit) {
        this.api = api;
        this.jobs = jobs;
        this.creditLimit = Objects.requireNonNull(creditLimit, "creditLimit");
    }

    /** The tokens a job processes: every epoch of its training set, every evaluation of its validation set. */
    static long tokens(TrainingSet training, TrainingSet validation, int epochs, int evals) {
        return training.tokens() * epochs + (validation == null ? 0 : validation.tokens() * evals);
    }

    /** What {@code tokens} cost, in nano-dollars. */
    static long nanos(long tokens) {
        return Math.multiplyExact(tokens, NANOS_PER_TOKEN);
    }

    /** Nano-dollars as dollars, exactly. */
    static BigDecimal dollars(long nanos) {
        BigDecimal d = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    BigDecimal creditLimit() {
        return creditLimit;
    }

    void creditLimit(BigDecimal dollars) {
        this.creditLimit = Objects.requireNonNull(dollars, "dollars");
    }

    void routes(Routes r) {
        r.post("/v1/fine-tunes/estimate-price", this::estimate);
    }

    private Reply estimate(HttpCall call) {
        ObjectNode body = TogetherApi.jsonBody(call);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw invalid("Unknown field: " + f, f);
            }
        }
        String trainingFile = TogetherJobs.text(body, "training_file");
        if (trainingFile == null) {
            throw invalid("training_file is required", "training_file");
        }
        jobs.processedFile(trainingFile, "training_file");
        String validationFile = TogetherJobs.text(body, "validation_file");
        if (validationFile != null) {
            jobs.processedFile(validationFile, "validation_file");
        }
        String model = TogetherJobs.text(body, "model");
        String fromCheckpoint = TogetherJobs.text(body, "from_checkpoint");
        if (model != null && fromCheckpoint != null) {
            throw invalid("You must specify either a model or a checkpoint to estimate from, not both", "model");
        }
        if (fromCheckpoint != null) {
            model = jobs.checkpointJob(fromCheckpoint).model;
        } else if (model == null) {
            throw invalid("model is required", "model");
        } else if (!api.isBaseModel(model)) {
            throw invalid("Model " + model + " is not available for fine-tuning; GET /fine-tunes/models/supported "
                    + "lists the models that are", "model");
        }
        int epochs = TogetherJobs.integer(body, "n_epochs", 1, 1, TogetherJobs.MAX_EPOCHS);
        int evals = TogetherJobs.integer(body, "n_evals", 0, 0, TogetherJobs.MAX_EVALS);
        TogetherJobs.trainingType(body.get("training_type"));
        if (body.hasNonNull("training_method")
                && !body.get("training_method").path("method").asText().equals("sft")) {
            throw invalid("The emulator prices training_method sft only, not "
                    + body.get("training_method").path("method"), "training_method");
        }
        TokenCounter counter = TokenCounter.forModel(model);
        TrainingSet training = read(trainingFile, "training_file", counter);
        TrainingSet validation = validationFile == null ? null : read(validationFile, "validation_file", counter);
        long trainTokens = training.tokens() * epochs;
        long total = tokens(training, validation, epochs, evals);
        BigDecimal price = dollars(nanos(total));
        BigDecimal limit = creditLimit;
        ObjectNode n = Jsons.object();
        n.putRawValue("estimated_total_price", new RawValue(price.toPlainString()));
        n.put("allowed_to_proceed", price.compareTo(limit) <= 0);
        n.putRawValue("user_limit", new RawValue(limit.toPlainString()));
        n.put("estimated_train_token_count", trainTokens);
        n.put("estimated_eval_token_count", total - trainTokens);
        n.put("estimation_available", true);
        return Reply.ok(n);
    }

    /** A file's examples as a job reads them; a file a job would fail with {@code user_error} is refused. */
    private TrainingSet read(String fileId, String field, TokenCounter counter) {
        StoredFile f = api.files().find(fileId);
        TrainingSet.Parsed p = TrainingSet.parse(f.text(), TrainingSet.Shape.CHAT, counter);
        if (!p.ok()) {
            throw invalid("Invalid file " + fileId + ": line " + p.problem().line() + ": " + p.problem().message(), field);
        }
        return p.set();
    }
}
