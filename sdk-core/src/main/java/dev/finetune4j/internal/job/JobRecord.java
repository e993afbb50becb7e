package dev.finetune4j.internal.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.StoreException;
import dev.finetune4j.cost.CostEstimate;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobError;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.tokens.TokenStats;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a job: one record per job, one revision per step or change, written before
 * every remote call and after it. Mutable only through {@link #copy()} and the setters, used while
 * building the next revision.
 */
final class JobRecord {

    /** How far the submission got; resume continues from here. */
    enum Step {
        /** Recorded; nothing sent yet (or the upload did not finish). */
        RECORDED,
        /** Data uploaded (the reference is in {@link #upload}); the remote job may not exist yet. */
        UPLOADED,
        /** The remote job exists ({@link #remoteId} is set). */
        CREATED
    }

    String id;
    String assistant;
    String provider;
    String baseModel;
    String dataset;
    String datasetVersionId;
    int datasetVersionNumber;
    boolean validation;
    boolean start;
    Integer continueFrom;
    Integer migratedFrom;
    Hyperparameters hyperparameters = Hyperparameters.AUTO;
    String suffix;
    Map<String, String> options = new LinkedHashMap<>();
    Step step = Step.RECORDED;
    UploadedData upload;
    /**
     * Where {@link #upload} lives, as {@link dev.finetune4j.spi.TrainingService#uploadScope()} said
     * when it was made; kept on upload records only, null on records older than it.
     */
    String uploadScope;
    String remoteId;
    JobStatus status = JobStatus.PENDING;
    String rawStatus = "PENDING";
    JobError error;
    String fineTunedModel;
    Long trainedTokens;
    Integer modelVersion;
    Money costPreview;
    Map<String, String> resolvedHyperparameters = new LinkedHashMap<>();
    JobEstimate estimate;
    String eventsCursor;
    /** The fingerprint of the submission's intent ({@link JobIntents}); null on records older than it. */
    String intent;
    /** Whether the submission asked for a new job although one of the same intent existed. */
    boolean again;
    /** Who is sending the create request now ({@link JobService}'s create claim), or null. */
    String createClaim;
    /** Until when {@link #createClaim} holds if its holder never comes back. */
    Instant createClaimUntil;
    /** How many create requests were sent for this job (each may have reached the provider). */
    int createAttempts;
    Instant createdAt;
    Instant updatedAt;

    JobRecord copy() {
        return fromJson(toJson(), id);
    }

    String datasetLabel() {
        return dataset + "@" + datasetVersionNumber;
    }

    String toJson() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", id);
        n.put("assistant", assistant);
        n.put("provider", provider);
        n.put("base_model", baseModel);
        n.put("dataset", dataset);
        n.put("dataset_version_id", datasetVersionId);
        n.put("dataset_version_number", datasetVersionNumber);
        n.put("validation", validation);
        n.put("start", start);
        if (migratedFrom != null) {
            n.put("migrated_from", migratedFrom);
        }
        if (continueFrom != null) {
            n.put("continue_from", continueFrom);
        }
        putHyperparameters(n.putObject("hyperparameters"), hyperparameters);
        n.put("suffix", suffix);
        ObjectNode o = n.putObject("options");
        options.forEach(o::put);
        n.put("step", step.name());
        if (upload != null) {
            ObjectNode u = n.putObject("upload");
            u.put("training_ref", upload.trainingRef());
            u.put("validation_ref", upload.validationRef());
            ObjectNode d = u.putObject("details");
            upload.details().forEach(d::put);
        }
        if (uploadScope != null) {
            n.put("upload_scope", uploadScope);
        }
        n.put("remote_id", remoteId);
        n.put("status", status.name());
        n.put("raw_status", rawStatus);
        if (error != null) {
            ObjectNode e = n.putObject("error");
            e.put("code", error.code());
            e.put("message", error.message());
            e.put("param", error.param());
        }
        n.put("fine_tuned_model", fineTunedModel);
        if (trainedTokens != null) {
            n.put("trained_tokens", trainedTokens);
        }
        if (modelVersion != null) {
            n.put("model_version", modelVersion);
        }
        if (costPreview != null) {
            putMoney(n.putObject("cost_preview"), costPreview);
        }
        ObjectNode r = n.putObject("resolved_hyperparameters");
        resolvedHyperparameters.forEach(r::put);
        if (estimate != null) {
            writeEstimate(n.putObject("estimate"), estimate);
        }
        n.put("events_cursor", eventsCursor);
        if (intent != null) {
            n.put("intent", intent);
        }
        if (again) {
            n.put("again", true);
        }
        if (createClaim != null) {
            n.put("create_claim", createClaim);
            n.put("create_claim_until", createClaimUntil.toString());
        }
        if (createAttempts > 0) {
            n.put("create_attempts", createAttempts);
        }
        n.put("created_at", createdAt.toString());
        n.put("updated_at", updatedAt.toString());
        return n.toString();
    }

    /** Writes the hyper-parameters that are set, under their snake_case names; auto ones are left out. */
    static void putHyperparameters(ObjectNode h, Hyperparameters hyperparameters) {
        hyperparameters.epochs().ifPresent(v -> h.put("epochs", v));
        hyperparameters.batchSize().ifPresent(v -> h.put("batch_size", v));
        hyperparameters.learningRateMultiplier().ifPresent(v -> h.put("learning_rate_multiplier", v));
        hyperparameters.learningRate().ifPresent(v -> h.put("learning_rate", v));
        hyperparameters.seed().ifPresent(v -> h.put("seed", v));
    }

    private static void putMoney(ObjectNode n, Money m) {
        n.put("amount", m.amount().toPlainString());
        n.put("currency", m.currency());
    }

    private static Money money(JsonNode n) {
        return new Money(new BigDecimal(n.path("amount").asText()), n.path("currency").asText());
    }

    private static void writeEstimate(ObjectNode n, JobEstimate e) {
        n.put("provider", e.provider());
        n.put("model", e.model());
        n.put("dataset_version_id", e.datasetVersionId());
        n.put("dataset_version_number", e.datasetVersionNumber());
        n.put("training_examples", e.trainingExamples());
        n.put("validation_examples", e.validationExamples());
        TokenStats t = e.tokens();
        ObjectNode tn = n.putObject("tokens");
        tn.put("examples", t.examples());
        tn.put("messages", t.messages());
        tn.put("total", t.totalTokens());
        tn.put("billable", t.billableTokens());
        tn.put("min", t.minTokens());
        tn.put("max", t.maxTokens());
        tn.put("mean", t.meanTokens());
        tn.put("p10", t.p10());
        tn.put("p90", t.p90());
        tn.put("assistant", t.assistantTokens());
        tn.put("over_limit", t.overLimit());
        tn.put("encoding", t.encoding());
        tn.put("exact", t.exact());
        e.cost().ifPresent(c -> {
            ObjectNode cn = n.putObject("cost");
            cn.put("provider", c.provider());
            cn.put("model", c.model());
            cn.put("priced_as", c.pricedAs());
            cn.put("examples", c.examples());
            cn.put("epochs", c.epochs());
            cn.put("epochs_auto", c.epochsAuto());
            cn.put("tokens_per_epoch", c.tokensPerEpoch());
            cn.put("billed_tokens", c.billedTokens());
            putMoney(cn.putObject("cost"), c.cost());
            cn.put("minimum_fee_applied", c.minimumFeeApplied());
            cn.put("price_effective_date", c.priceEffectiveDate().toString());
            cn.put("price_source", c.priceSource());
            cn.put("exact_tokens", c.exactTokens());
        });
        e.quote().ifPresent(q -> {
            ObjectNode qn = n.putObject("quote");
            qn.put("provider", q.provider());
            qn.put("model", q.model());
            putMoney(qn.putObject("price"), q.price());
            q.trainingTokens().ifPresent(v -> qn.put("training_tokens", v));
            q.evaluationTokens().ifPresent(v -> qn.put("evaluation_tokens", v));
            q.creditLimit().ifPresent(l -> putMoney(qn.putObject("credit_limit"), l));
            qn.put("allowed_to_proceed", q.allowedToProceed());
            qn.put("quoted_at", q.quotedAt().toString());
        });
        n.putArray("warnings").addAll(e.warnings().stream()
                .map(w -> (JsonNode) Json.mapper().getNodeFactory().textNode(w)).toList());
    }

    private static JobEstimate readEstimate(JsonNode n) {
        JsonNode t = n.path("tokens");
        TokenStats tokens = new TokenStats(t.path("examples").asLong(), t.path("messages").asLong(),
                t.path("total").asLong(), t.path("billable").asLong(), t.path("min").asInt(), t.path("max").asInt(),
                t.path("mean").asDouble(), t.path("p10").asDouble(), t.path("p90").asDouble(),
                t.path("assistant").asLong(), t.path("over_limit").asLong(), t.path("encoding").asText(),
                t.path("exact").asBoolean());
        CostEstimate cost = null;
        JsonNode c = n.get("cost");
        if (c != null && !c.isNull()) {
            cost = CostEstimate.builder().provider(c.path("provider").asText()).model(c.path("model").asText())
                    .pricedAs(c.path("priced_as").asText()).examples(c.path("examples").asLong())
                    .epochs(c.path("epochs").asInt(), c.path("epochs_auto").asBoolean())
                    .tokensPerEpoch(c.path("tokens_per_epoch").asLong()).billedTokens(c.path("billed_tokens").asLong())
                    .cost(money(c.path("cost")), c.path("minimum_fee_applied").asBoolean())
                    .price(LocalDate.parse(c.path("price_effective_date").asText()), c.path("price_source").asText())
                    .exactTokens(c.path("exact_tokens").asBoolean()).build();
        }
        PriceQuote quote = null;
        JsonNode q = n.get("quote");
        if (q != null && !q.isNull()) {
            quote = PriceQuote.builder().provider(q.path("provider").asText()).model(q.path("model").asText())
                    .price(money(q.path("price")))
                    .trainingTokens(q.hasNonNull("training_tokens") ? q.get("training_tokens").asLong() : null)
                    .evaluationTokens(q.hasNonNull("evaluation_tokens") ? q.get("evaluation_tokens").asLong() : null)
                    .creditLimit(q.hasNonNull("credit_limit") ? money(q.get("credit_limit")) : null)
                    .allowedToProceed(q.path("allowed_to_proceed").asBoolean(true))
                    .quotedAt(Instant.parse(q.path("quoted_at").asText())).build();
        }
        List<String> warnings = new ArrayList<>();
        n.path("warnings").forEach(w -> warnings.add(w.asText()));
        return JobEstimate.builder().quote(quote).provider(n.path("provider").asText()).model(n.path("model").asText())
                .datasetVersion(n.path("dataset_version_id").asText(), n.path("dataset_version_number").asInt())
                .examples(n.path("training_examples").asLong(), n.path("validation_examples").asLong())
                .tokens(tokens).cost(cost).warnings(warnings).build();
    }

    static JobRecord fromJson(String json, String where) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            JobRecord r = new JobRecord();
            r.id = n.path("id").asText();
            r.assistant = n.path("assistant").asText();
            r.provider = n.path("provider").asText();
            r.baseModel = n.path("base_model").asText();
            r.dataset = n.path("dataset").asText();
            r.datasetVersionId = n.path("dataset_version_id").asText();
            r.datasetVersionNumber = n.path("dataset_version_number").asInt();
            r.validation = n.path("validation").asBoolean();
            r.start = n.path("start").asBoolean(true);
            r.continueFrom = n.hasNonNull("continue_from") ? n.get("continue_from").asInt() : null;
            r.migratedFrom = n.hasNonNull("migrated_from") ? n.get("migrated_from").asInt() : null;
            JsonNode h = n.path("hyperparameters");
            Hyperparameters.Builder hb = Hyperparameters.builder();
            if (h.has("epochs")) {
                hb.epochs(h.get("epochs").asInt());
            }
            if (h.has("batch_size")) {
                hb.batchSize(h.get("batch_size").asInt());
            }
            if (h.has("learning_rate_multiplier")) {
                hb.learningRateMultiplier(h.get("learning_rate_multiplier").asDouble());
            }
            if (h.has("learning_rate")) {
                hb.learningRate(h.get("learning_rate").asDouble());
            }
            if (h.has("seed")) {
                hb.seed(h.get("seed").asInt());
            }
            r.hyperparameters = hb.build();
            r.suffix = text(n, "suffix");
            r.options = strings(n.path("options"));
            r.step = Step.valueOf(n.path("step").asText());
            JsonNode u = n.get("upload");
            if (u != null && !u.isNull()) {
                r.upload = new UploadedData(u.path("training_ref").asText(), text(u, "validation_ref"),
                        strings(u.path("details")));
            }
            r.uploadScope = text(n, "upload_scope");
            r.remoteId = text(n, "remote_id");
            r.status = JobStatus.valueOf(n.path("status").asText());
            r.rawStatus = n.path("raw_status").asText();
            JsonNode e = n.get("error");
            if (e != null && !e.isNull()) {
                r.error = new JobError(e.path("code").asText(), e.path("message").asText(), e.path("param").asText());
            }
            r.fineTunedModel = text(n, "fine_tuned_model");
            r.trainedTokens = n.hasNonNull("trained_tokens") ? n.get("trained_tokens").asLong() : null;
            r.modelVersion = n.hasNonNull("model_version") ? n.get("model_version").asInt() : null;
            r.costPreview = n.hasNonNull("cost_preview") ? money(n.get("cost_preview")) : null;
            r.resolvedHyperparameters = strings(n.path("resolved_hyperparameters"));
            r.estimate = n.hasNonNull("estimate") ? readEstimate(n.get("estimate")) : null;
            r.eventsCursor = text(n, "events_cursor");
            r.intent = text(n, "intent");
            r.again = n.path("again").asBoolean(false);
            r.createClaim = text(n, "create_claim");
            r.createClaimUntil = r.createClaim == null ? null : Instant.parse(n.path("create_claim_until").asText());
            r.createAttempts = n.path("create_attempts").asInt(0);
            r.createdAt = Instant.parse(n.path("created_at").asText());
            r.updatedAt = Instant.parse(n.path("updated_at").asText());
            return r;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StoreException("job record " + where + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }
}
