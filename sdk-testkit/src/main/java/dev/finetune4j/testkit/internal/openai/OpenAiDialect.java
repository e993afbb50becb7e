package dev.finetune4j.testkit.internal.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Ids;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.Settings;
import dev.finetune4j.testkit.internal.StoredFile;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What a service that speaks OpenAI's protocol does its own way; this class is OpenAI itself, and
 * a subclass overrides what another service (Azure OpenAI's v1 API) does differently: where the
 * routes are, how a caller authenticates, the shapes of ids and model names, the extra create
 * fields and their rules, the file states, pausing, chat's model names, extra routes. {@link
 * OpenAiApi}, {@link OpenAiJobs} and {@link OpenAiChat} ask it; everything else is shared. Called
 * under {@link OpenAiApi}'s lock.
 */
public class OpenAiDialect {

    /** The purposes OpenAI's {@code POST /files} takes. */
    static final Set<String> FILE_PURPOSES = Set.of("assistants", "batch", "fine-tune", "vision", "user_data", "evals");

    /** The path every route is below: {@code /v1}. */
    public String root() {
        return "/v1";
    }

    /** Refuses a request whose credential the service would refuse: a {@code Bearer} key, the configured one if any. */
    public void authenticate(HttpCall call, Settings settings) {
        String header = call.header("authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw OpenAiErrors.of(401, "You didn't provide an API key. You need to provide your API key in an "
                    + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", null, null);
        }
        String key = header.substring(7).trim();
        if (settings.apiKey() != null && !settings.apiKey().equals(key)) {
            String tail = key.length() > 4 ? key.substring(key.length() - 4) : key;
            throw OpenAiErrors.of(401, "Incorrect API key provided: sk-..." + tail
                    + ". You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error", null, "invalid_api_key");
        }
    }

    /** The answer for a path no route knows. */
    public ApiError notFound(HttpCall call) {
        return OpenAiErrors.notFound("Invalid URL (" + call.method() + " " + call.path() + ")", null, null);
    }

    /** Adds the headers every answer carries. */
    public Reply decorate(Reply reply, Ids ids, String organization) {
        return reply.header("x-request-id", "req_" + ids.hex(32))
                .header("openai-version", "2020-10-01")
                .header("openai-processing-ms", String.valueOf(20 + ids.nextInt(180)))
                .header("openai-organization", organization);
    }

    /** The 429 for a wait of {@code seconds}. */
    public Reply rateLimited(long seconds) {
        return OpenAiErrors.reply(429, "Rate limit reached for requests. Please try again in " + seconds + "s.",
                        "requests", null, "rate_limit_exceeded")
                .header("Retry-After", String.valueOf(seconds))
                .header("x-ratelimit-remaining-requests", "0")
                .header("x-ratelimit-reset-requests", seconds + "s");
    }

    /** Adds the service's own routes besides the shared ones (none for OpenAI). */
    public void extraRoutes(Routes routes, OpenAiApi api) {}

    /** Forgets the dialect's own state. */
    public void clear() {}

    // ---------------------------------------------------------------- files

    /** The purposes {@code POST /files} takes. */
    public Set<String> filePurposes() {
        return FILE_PURPOSES;
    }

    /** Whether the Uploads API ({@code /uploads}) is served. */
    public boolean uploadsApi() {
        return true;
    }

    /** A new file was stored. */
    public void uploaded(StoredFile file) {}

    /** The file's {@code status} as a client reading it now sees it: OpenAI's files are {@code processed} at once. */
    public String fileStatus(StoredFile file, boolean read) {
        return "processed";
    }

    /** The text of a training file as the service reads it. */
    public String trainingText(StoredFile file) {
        return file.text();
    }

    // ---------------------------------------------------------------- jobs

    /** A new job id: {@code ftjob-} and 24 letters and digits. */
    public String jobId(Ids ids) {
        return ids.alnum("ftjob-", 24);
    }

    /** Create-body fields besides OpenAI's. */
    public Set<String> extraCreateFields() {
        return Set.of();
    }

    /** Checks the create body's suffix (given) and extra fields. */
    public void checkCreate(ObjectNode body, String suffix) {
        if (suffix != null && (suffix.isEmpty() || suffix.length() > 64)) {
            throw OpenAiErrors.invalid("Invalid 'suffix': string " + (suffix.isEmpty() ? "too short" : "too long")
                    + ". Expected a string with " + (suffix.isEmpty() ? "minimum length 1" : "maximum length 64")
                    + ", but got a string with length " + suffix.length() + " instead.", "suffix",
                    suffix.isEmpty() ? "string_below_min_length" : "string_above_max_length");
        }
    }

    /** Whether {@code GET /fine_tuning/jobs} filters on {@code metadata[k]=v}. */
    public boolean filtersJobsByMetadata() {
        return true;
    }

    /** Whether a job in {@code status} with {@code stepsReported} steps done can be paused. */
    public boolean pausable(String status, int stepsReported) {
        return status.equals("running") || status.equals("queued");
    }

    /** The random part of a fine-tuned model's name: 8 letters and digits. */
    public String modelToken(Ids ids) {
        return ids.alnum("", 8);
    }

    /** A fine-tuned model's name: {@code ft:BASE:ORGANIZATION:SUFFIX:TOKEN}, BASE the original base. */
    public String modelName(String model, String organization, String suffix, String token) {
        String base = model.startsWith("ft:") ? model.split(":", -1)[1] : model;
        return "ft:" + base + ":" + organization + ":" + (suffix == null ? "" : suffix) + ":" + token;
    }

    /** A checkpoint's id: {@code ftckpt_} and 24 letters and digits. */
    public String checkpointId(Ids ids) {
        return ids.alnum("ftckpt_", 24);
    }

    /** The model a checkpoint serves as: {@code MODEL:ckpt-step-N}. */
    public String checkpointModel(String modelName, int step, String checkpointId) {
        return modelName + ":ckpt-step-" + step;
    }

    /** Whether a model is a checkpoint, left out of {@code GET /models}. */
    public boolean isCheckpoint(String model) {
        return model.contains(":ckpt-step-");
    }

    /** The name of a job's results file. */
    public String resultsFileName() {
        return "step_metrics.csv";
    }

    /** The results file of a finished job: one row per step. */
    public byte[] resultsCsv(OpenAiJob job) {
        StringBuilder sb = new StringBuilder("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
        int total = job.totalSteps;
        for (int step = 1; step <= total; step++) {
            sb.append(step).append(',').append(job.curve.trainLoss(step, total)).append(',')
                    .append(job.curve.accuracy(step, total)).append(',');
            if (job.validation != null) {
                sb.append(job.curve.validLoss(step, total)).append(',').append(job.curve.validAccuracy(step, total));
            } else {
                sb.append(',');
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- models and chat

    /** Whether fine-tuned models can be deleted with {@code DELETE /models/{id}}. */
    public boolean modelDeletion() {
        return true;
    }

    /**
     * The model a chat request's {@code model} names, which answers it (OpenAI: itself).
     *
     * @throws ApiError when the service would refuse the name before looking at the model
     */
    public String chatModel(String requested) {
        return requested;
    }
}
