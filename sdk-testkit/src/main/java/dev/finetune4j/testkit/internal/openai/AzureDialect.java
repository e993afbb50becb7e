package dev.finetune4j.testkit.internal.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Ids;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.Settings;
import dev.finetune4j.testkit.internal.StoredFile;
import dev.finetune4j.testkit.internal.azure.ArmDeployments;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Azure OpenAI's v1 API as it differs from OpenAI's: routes below {@code /openai/v1}; the {@code
 * api-key} header or a Bearer token; Azure's 401 and 404 bodies and {@code apim-request-id};
 * files that are {@code pending}, then {@code running}, then {@code processed} as they are read,
 * read with or without a UTF-8 byte-order mark; jobs {@code ftjob-} + 32 hex with {@code
 * trainingType} and suffixes of at most 40 letters, digits, {@code -} and {@code _}; models {@code
 * BASE.ft-} + 32 hex and checkpoints {@code ftchkpt-} + 32 hex; a job list without a metadata
 * filter; pause only for a running job that trained a step; no Uploads API and no model deletion;
 * chat through a deployment's name ({@link ArmDeployments}), whose routes this dialect adds.
 * Called under the emulation's lock.
 */
public final class AzureDialect extends OpenAiDialect {

    private static final Set<String> PURPOSES = Set.of("assistants", "batch", "fine-tune", "evals");
    private static final Set<String> TRAINING_TYPES = Set.of("standard", "globalstandard", "developer",
            "developertier");
    private static final String[] FILE_STATES = {"pending", "running", "processed"};
    private static final String BOM = "\uFEFF";

    private final String location;
    /** How many times each uploaded file was read: its processing moves one state per read. */
    private final Map<String, Integer> fileReads = new HashMap<>();
    private ArmDeployments deployments;

    /** @param location the resource's region, in {@code x-ms-region} */
    public AzureDialect(String location) {
        this.location = Objects.requireNonNull(location, "location");
    }

    /** The control plane whose deployments chat goes through; set once, before the first request. */
    public void deployments(ArmDeployments deployments) {
        this.deployments = Objects.requireNonNull(deployments, "deployments");
    }

    @Override
    public String root() {
        return "/openai/v1";
    }

    /**
     * An {@code api-key} header or an {@code Authorization: Bearer} token (an Entra ID token, or the
     * key as the OpenAI SDKs send it), the configured key when one is set; else Azure's 401.
     */
    @Override
    public void authenticate(HttpCall call, Settings settings) {
        String key = call.header("api-key").map(String::strip).orElse("");
        if (key.isEmpty()) {
            String header = call.header("authorization").orElse("");
            key = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
        }
        if (key.isEmpty() || settings.apiKey() != null && !settings.apiKey().equals(key)) {
            throw azureError(401, "401", "Access denied due to invalid subscription key or wrong API endpoint. Make "
                    + "sure to provide a valid key for an active subscription and use a correct regional API endpoint "
                    + "for your resource.");
        }
    }

    @Override
    public ApiError notFound(HttpCall call) {
        return azureError(404, "404", "Resource not found");
    }

    /** {@code apim-request-id} and {@code x-ms-region}; ARM's answers keep their own {@code x-ms-request-id}. */
    @Override
    public Reply decorate(Reply reply, Ids ids, String organization) {
        if (reply.headers().containsKey("x-ms-request-id")) {
            return reply;
        }
        return reply.header("apim-request-id", ids.uuid().toString()).header("x-ms-region", location);
    }

    @Override
    public Reply rateLimited(long seconds) {
        return Reply.json(429, Jsons.object().set("error", Jsons.object().put("code", "429")
                        .put("message", "Requests to the Azure OpenAI API have exceeded the rate limit of your "
                                + "current pricing tier. Please retry after " + seconds + " seconds.")))
                .header("retry-after", String.valueOf(seconds))
                .header("retry-after-ms", String.valueOf(seconds * 1000));
    }

    @Override
    public void extraRoutes(Routes routes, OpenAiApi api) {
        deployments.routes(routes);
    }

    @Override
    public void clear() {
        fileReads.clear();
        deployments.clear();
    }

    // ---------------------------------------------------------------- files

    @Override
    public Set<String> filePurposes() {
        return PURPOSES;
    }

    @Override
    public boolean uploadsApi() {
        return false;
    }

    @Override
    public void uploaded(StoredFile file) {
        fileReads.put(file.id(), 0);
    }

    @Override
    public String fileStatus(StoredFile file, boolean read) {
        Integer reads = fileReads.get(file.id());
        if (reads == null) {
            return "processed";
        }
        int now = read ? Math.min(FILE_STATES.length - 1, reads + 1) : reads;
        fileReads.put(file.id(), now);
        return FILE_STATES[now];
    }

    /** The file's text without a leading byte-order mark, which Azure documents its files carry. */
    @Override
    public String trainingText(StoredFile file) {
        String text = new String(file.content(), StandardCharsets.UTF_8);
        return text.startsWith(BOM) ? text.substring(1) : text;
    }

    // ---------------------------------------------------------------- jobs

    @Override
    public String jobId(Ids ids) {
        return "ftjob-" + ids.hex(32);
    }

    @Override
    public Set<String> extraCreateFields() {
        return Set.of("trainingType");
    }

    @Override
    public void checkCreate(ObjectNode body, String suffix) {
        if (suffix != null && !suffix.matches("[A-Za-z0-9_-]{1,40}")) {
            throw OpenAiErrors.invalid("Invalid 'suffix': '" + suffix + "'. The suffix can contain up to 40 "
                    + "characters (a to z, A to Z, 0 to 9, - and _).", "suffix", "invalid_value");
        }
        JsonNode type = body.get("trainingType");
        if (type != null && !type.isNull()
                && (!type.isTextual() || !TRAINING_TYPES.contains(type.asText().toLowerCase(Locale.ROOT)))) {
            throw OpenAiErrors.invalid("Invalid 'trainingType': " + type + ". Supported values are Standard, "
                    + "GlobalStandard and Developer.", "trainingType", "invalid_value");
        }
    }

    @Override
    public boolean filtersJobsByMetadata() {
        return false;
    }

    @Override
    public boolean pausable(String status, int stepsReported) {
        return status.equals("running") && stepsReported >= 1;
    }

    @Override
    public String modelToken(Ids ids) {
        return ids.hex(32);
    }

    /** {@code BASE.ft-TOKEN}, BASE the original base model when a fine-tuned model is trained further. */
    @Override
    public String modelName(String model, String organization, String suffix, String token) {
        int ft = model.indexOf(".ft-");
        return (ft >= 0 ? model.substring(0, ft) : model) + ".ft-" + token;
    }

    @Override
    public String checkpointId(Ids ids) {
        return "ftchkpt-" + ids.hex(32);
    }

    /** A checkpoint is deployed by its id. */
    @Override
    public String checkpointModel(String modelName, int step, String checkpointId) {
        return checkpointId;
    }

    @Override
    public boolean isCheckpoint(String model) {
        return model.startsWith("ftchkpt-");
    }

    @Override
    public String resultsFileName() {
        return "results.csv";
    }

    /** The columns of Azure's {@code results.csv}; the {@code full_valid_*} ones at the end of each epoch. */
    @Override
    public byte[] resultsCsv(OpenAiJob job) {
        StringBuilder sb = new StringBuilder("step,train_loss,train_mean_token_accuracy,valid_loss,"
                + "validation_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy\n");
        int total = job.totalSteps;
        for (int step = 1; step <= total; step++) {
            sb.append(step).append(',').append(job.curve.trainLoss(step, total)).append(',')
                    .append(job.curve.accuracy(step, total)).append(',');
            boolean epochEnd = job.stepsPerEpoch > 0 && step % job.stepsPerEpoch == 0;
            if (job.validation != null) {
                double loss = job.curve.validLoss(step, total);
                double accuracy = job.curve.validAccuracy(step, total);
                sb.append(loss).append(',').append(accuracy).append(',');
                sb.append(epochEnd ? String.valueOf(loss) : "").append(',').append(epochEnd ? String.valueOf(accuracy)
                        : "");
            } else {
                sb.append(",,,");
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- models and chat

    @Override
    public boolean modelDeletion() {
        return false;
    }

    /** The model behind the deployment of that name; Azure's 404 {@code DeploymentNotFound} otherwise. */
    @Override
    public String chatModel(String requested) {
        return deployments.serve(requested);
    }

    private static ApiError azureError(int status, String code, String message) {
        return new ApiError(Reply.json(status, Jsons.object().set("error", Jsons.object().put("code", code)
                .put("message", message))), message);
    }
}
