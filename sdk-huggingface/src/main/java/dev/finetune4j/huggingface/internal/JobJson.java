package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.job.JobError;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.RemoteJob;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the Jobs API's job object ({@code id}, {@code status {stage, message}}, {@code command},
 * {@code labels}, {@code owner}, {@code createdAt}, {@code finishedAt}, …) into a {@link
 * RemoteJob}. Stateless.
 *
 * <h2>Stages</h2>
 *
 * <table>
 *   <caption>Hugging Face stage to normalised status</caption>
 *   <tr><th>{@code status.stage}</th><th>{@link JobStatus}</th></tr>
 *   <tr><td>{@code SCHEDULING}</td><td>{@code QUEUED}</td></tr>
 *   <tr><td>{@code RUNNING}, {@code UPDATING}</td><td>{@code RUNNING}</td></tr>
 *   <tr><td>{@code COMPLETED}</td><td>{@code SUCCEEDED}, the model being the adapter repository</td></tr>
 *   <tr><td>{@code CANCELED}</td><td>{@code CANCELLED}</td></tr>
 *   <tr><td>{@code ERROR}</td><td>{@code FAILED}, with {@code status.message}</td></tr>
 *   <tr><td>{@code DELETED}</td><td>{@code CANCELLED}: someone removed the job before it reported
 *       success, so no model is registered (one pushed before may still be registered by id)</td></tr>
 *   <tr><td>anything else</td><td>{@code UNKNOWN}, the raw stage kept</td></tr>
 * </table>
 */
public final class JobJson {

    private static final Map<String, String> HYPERPARAMETER_FLAGS = Map.of(
            "--num_train_epochs", "epochs",
            "--learning_rate", "learning_rate",
            "--per_device_train_batch_size", "batch_size",
            "--seed", "seed",
            "--lora_r", "lora_r",
            "--lora_alpha", "lora_alpha",
            "--adapter_name_or_path", "continued_from");

    private JobJson() {}

    /** The normalised status of a stage. */
    public static JobStatus status(String stage) {
        return switch (stage == null ? "" : stage.toUpperCase(Locale.ROOT)) {
            case "SCHEDULING" -> JobStatus.QUEUED;
            case "RUNNING", "UPDATING" -> JobStatus.RUNNING;
            case "COMPLETED" -> JobStatus.SUCCEEDED;
            case "CANCELED", "CANCELLED", "DELETED" -> JobStatus.CANCELLED;
            case "ERROR" -> JobStatus.FAILED;
            default -> JobStatus.UNKNOWN;
        };
    }

    /** A job object as a {@link RemoteJob}. */
    public static RemoteJob job(JsonNode j) {
        String id = j.path("id").asText("");
        if (id.isEmpty()) {
            throw new dev.finetune4j.FineTuneException("huggingface: a job object without an id: " + j);
        }
        String stage = j.path("status").path("stage").asText("");
        JobStatus status = status(stage);
        List<String> command = command(j);
        JsonNode labels = j.path("labels");
        String tag = text(labels, JobSpecs.LABEL_JOB);
        RemoteJob.Builder b = RemoteJob.builder(id, status, stage.isEmpty() ? "(none)" : stage)
                .tag(tag)
                .baseModel(flag(command, "--model_name_or_path"))
                .createdAt(instant(j.path("createdAt")))
                .finishedAt(instant(j.path("finishedAt")));
        if (status == JobStatus.SUCCEEDED) {
            b.fineTunedModel(hubModelId(j, command, tag));
        }
        if (status == JobStatus.FAILED) {
            String message = j.path("status").path("message").asText("");
            b.error(new JobError(stage, message.isBlank() ? "the job ended with " + stage
                    + " without a message; read its logs" : message, ""));
        }
        for (Map.Entry<String, String> f : HYPERPARAMETER_FLAGS.entrySet()) {
            String v = flag(command, f.getKey());
            if (v != null) {
                b.hyperparameter(f.getValue(), v);
            }
        }
        String flavor = text(j, "flavor");
        if (flavor != null) {
            b.hyperparameter("flavor", flavor);
        }
        if (j.path("timeoutSeconds").canConvertToLong()) {
            b.hyperparameter("timeout_seconds", Long.toString(j.path("timeoutSeconds").asLong()));
        }
        return b.build();
    }

    /** The adapter repository: the command's {@code --hub_model_id}, else named from owner, assistant and tag. */
    static String hubModelId(JsonNode j, List<String> command, String tag) {
        String fromCommand = flag(command, "--hub_model_id");
        if (fromCommand != null) {
            return fromCommand;
        }
        String owner = j.path("owner").path("name").asText("");
        String assistant = text(j.path("labels"), JobSpecs.LABEL_ASSISTANT);
        if (owner.isEmpty() || assistant == null || tag == null) {
            return null;
        }
        return JobSpecs.hubModelId(owner, assistant, tag);
    }

    /** The job's command followed by its arguments. */
    static List<String> command(JsonNode j) {
        List<String> out = new ArrayList<>();
        j.path("command").forEach(n -> out.add(n.asText()));
        j.path("arguments").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The value after the last occurrence of a flag (later arguments win, as argparse has it). */
    static String flag(List<String> args, String name) {
        String value = null;
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals(name)) {
                value = args.get(i + 1);
            } else if (args.get(i).startsWith(name + "=")) {
                value = args.get(i).substring(name.length() + 1);
            }
        }
        if (!args.isEmpty() && args.get(args.size() - 1).startsWith(name + "=")) {
            value = args.get(args.size() - 1).substring(name.length() + 1);
        }
        return value;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    static Instant instant(JsonNode v) {
        if (!v.isTextual() || v.asText().isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(v.asText());
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
