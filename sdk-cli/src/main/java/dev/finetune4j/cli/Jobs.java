package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.JobMayExistException;
import dev.finetune4j.cost.CostEstimate;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.tokens.TokenStats;
import java.io.PrintWriter;
import java.util.Locale;

/** What the job commands share: the JSON of a job and of an estimate, and how they read. */
final class Jobs {

    private Jobs() {}

    /**
     * One job: {@code {"id","assistant","provider","remote_id","status","raw_status","base_model",
     * "dataset_version","model_version","fine_tuned_model","error","cost_preview","created_at"}}.
     * {@code status} is the normalised status in lower case, {@code raw_status} the provider's own;
     * {@code error} is {@code {"code","message","param"}} and {@code cost_preview}
     * {@code {"amount","currency"}}, each null when absent.
     */
    static ObjectNode json(FineTuneJob job) {
        ObjectNode o = JsonDocs.object();
        o.put("id", job.id());
        o.put("assistant", job.assistant());
        o.put("provider", job.provider());
        o.put("remote_id", job.remoteId().orElse(null));
        o.put("status", JsonDocs.lower(job.status()));
        o.put("raw_status", job.rawStatus());
        o.put("base_model", job.baseModel());
        o.put("dataset_version", job.datasetVersion());
        if (job.modelVersion().isPresent()) {
            o.put("model_version", job.modelVersion().getAsInt());
        } else {
            o.putNull("model_version");
        }
        o.put("fine_tuned_model", job.fineTunedModel().orElse(null));
        if (job.error().isPresent()) {
            o.putObject("error")
                    .put("code", job.error().get().code())
                    .put("message", job.error().get().message())
                    .put("param", job.error().get().param());
        } else {
            o.putNull("error");
        }
        putMoney(o, "cost_preview", job.costPreview().orElse(null));
        o.put("created_at", job.createdAt().toString());
        return o;
    }

    /**
     * A local estimate: {@code {"provider","model","dataset_version","dataset_version_id",
     * "training_examples","validation_examples","tokens":{...},"assistant_tokens","encoding",
     * "exact_tokens","epochs","epochs_auto","billed_tokens","estimated_cost","priced_as",
     * "price_effective_date","minimum_fee_applied","provider_quote","warnings"}}; the price fields are
     * null when the price table has no price for the model; {@code provider_quote} is {@code
     * {"provider","model","price":{"amount","currency"},"training_tokens","evaluation_tokens",
     * "credit_limit":{...}|null,"allowed_to_proceed","quoted_at"}} when the provider priced the job
     * itself, else null. Null for a null estimate.
     */
    static ObjectNode estimateJson(String datasetRef, JobEstimate e) {
        if (e == null) {
            return null;
        }
        ObjectNode o = JsonDocs.object();
        o.put("provider", e.provider());
        o.put("model", e.model());
        o.put("dataset_version", datasetRef + "@" + e.datasetVersionNumber());
        o.put("dataset_version_id", e.datasetVersionId());
        o.put("training_examples", e.trainingExamples());
        o.put("validation_examples", e.validationExamples());
        TokenStats t = e.tokens();
        o.putObject("tokens")
                .put("total", t.totalTokens())
                .put("min", t.minTokens())
                .put("max", t.maxTokens())
                .put("mean", t.meanTokens())
                .put("p10", t.p10())
                .put("p90", t.p90());
        o.put("assistant_tokens", t.assistantTokens());
        o.put("encoding", t.encoding());
        o.put("exact_tokens", t.exact());
        if (e.cost().isPresent()) {
            CostEstimate c = e.cost().get();
            o.put("epochs", c.epochs());
            o.put("epochs_auto", c.epochsAuto());
            o.put("billed_tokens", c.billedTokens());
            putMoney(o, "estimated_cost", c.cost());
            o.put("priced_as", c.pricedAs());
            o.put("price_effective_date", c.priceEffectiveDate().toString());
            o.put("minimum_fee_applied", c.minimumFeeApplied());
        } else {
            for (String f : new String[] {"epochs", "epochs_auto", "billed_tokens", "estimated_cost", "priced_as",
                "price_effective_date", "minimum_fee_applied"}) {
                o.putNull(f);
            }
        }
        if (e.quote().isPresent()) {
            PriceQuote q = e.quote().get();
            ObjectNode qn = o.putObject("provider_quote");
            qn.put("provider", q.provider());
            qn.put("model", q.model());
            putMoney(qn, "price", q.price());
            if (q.trainingTokens().isPresent()) {
                qn.put("training_tokens", q.trainingTokens().getAsLong());
            } else {
                qn.putNull("training_tokens");
            }
            if (q.evaluationTokens().isPresent()) {
                qn.put("evaluation_tokens", q.evaluationTokens().getAsLong());
            } else {
                qn.putNull("evaluation_tokens");
            }
            putMoney(qn, "credit_limit", q.creditLimit().orElse(null));
            qn.put("allowed_to_proceed", q.allowedToProceed());
            qn.put("quoted_at", q.quotedAt().toString());
        } else {
            o.putNull("provider_quote");
        }
        com.fasterxml.jackson.databind.node.ArrayNode warnings = o.putArray("warnings");
        e.warnings().forEach(warnings::add);
        return o;
    }

    /** {@code {"job", "estimate"}}: what every job command prints. */
    static ObjectNode doc(FineTuneJob job, ObjectNode estimate) {
        ObjectNode doc = JsonDocs.object();
        doc.set("job", job == null ? null : json(job));
        doc.set("estimate", estimate);
        return doc;
    }

    /** The dataset part of a job's {@code dataset_version} label ({@code a/main@2} gives {@code a/main}). */
    static String datasetRef(FineTuneJob job) {
        String label = job.datasetVersion();
        int at = label.lastIndexOf('@');
        return at < 0 ? label : label.substring(0, at);
    }

    /** The human report of an estimate, one fact a line. */
    static void printEstimate(PrintWriter out, JobEstimate e, String indent) {
        out.println(indent + e.trainingExamples() + " training examples" + (e.validationExamples() > 0
                ? ", " + e.validationExamples() + " held out for validation" : ", no validation split sent"));
        TokenStats t = e.tokens();
        out.println(indent + "tokens (" + t.encoding() + (t.exact() ? ", exact" : ", an approximation") + "): total "
                + group(t.totalTokens()) + ", per example min " + t.minTokens() + " / mean "
                + String.format(Locale.ROOT, "%.1f", t.meanTokens()) + " / max " + t.maxTokens());
        if (e.cost().isPresent()) {
            CostEstimate c = e.cost().get();
            out.println(indent + "epochs " + c.epochs() + (c.epochsAuto() ? " (auto)" : "") + ", billed tokens "
                    + group(c.billedTokens()) + ", estimated cost " + c.cost() + " (" + c.pricedAs()
                    + " list price of " + c.priceEffectiveDate() + (c.minimumFeeApplied() ? ", minimum job fee" : "")
                    + ")");
        } else if (e.quote().isEmpty()) {
            out.println(indent + "estimated cost: unknown (no list price for " + e.provider() + " " + e.model() + ")");
        }
        e.quote().ifPresent(q -> out.println(indent + e.provider() + "'s own price: " + q.price()
                + (q.trainingTokens().isPresent() ? " for " + group(q.trainingTokens().getAsLong()) + " training"
                        + q.evaluationTokens().stream().mapToObj(v -> " + " + group(v) + " evaluation").findFirst()
                                .orElse("") + " tokens" : "")
                + q.creditLimit().map(l -> ", credit limit " + l).orElse("")
                + (q.allowedToProceed() ? "" : " (the account cannot pay for it)")));
        e.warnings().forEach(w -> out.println(indent + "warning: " + w));
    }

    /** One line: {@code ftj-... (openai ftjob-...): succeeded, model v1 ft:...}. */
    static String describe(FineTuneJob job) {
        StringBuilder sb = new StringBuilder(job.id());
        sb.append(" (").append(job.provider()).append(job.remoteId().map(r -> " " + r).orElse("")).append("): ")
                .append(status(job));
        job.error().ifPresent(err -> sb.append(": ").append(err));
        if (job.modelVersion().isPresent()) {
            sb.append(", model v").append(job.modelVersion().getAsInt());
        }
        job.fineTunedModel().ifPresent(m -> sb.append(" ").append(m));
        return sb.toString();
    }

    /** {@code running} or, when the provider's word differs, {@code queued (VALIDATED)}. */
    static String status(FineTuneJob job) {
        String s = JsonDocs.lower(job.status());
        return s.equalsIgnoreCase(job.rawStatus()) ? s : s + " (" + job.rawStatus() + ")";
    }

    /** Whether a job will change no more: terminal, and registered when it succeeded. */
    static boolean settled(FineTuneJob job) {
        return job.status().isTerminal() && (job.status() != JobStatus.SUCCEEDED || job.modelVersion().isPresent());
    }

    /**
     * The exit code of a job a command waited for: 0 succeeded; 1 cancelled, or failed because of
     * its data ({@code invalid_*} error codes); 3 failed at the provider, or still running.
     */
    static int exitCode(FineTuneJob job) {
        if (job.status() == JobStatus.SUCCEEDED) {
            return ExitCodes.OK;
        }
        if (job.status() == JobStatus.CANCELLED) {
            return ExitCodes.INPUT;
        }
        if (job.status() == JobStatus.FAILED
                && job.error().map(e -> e.code().startsWith("invalid") || e.code().equals("rejected")).orElse(false)) {
            return ExitCodes.INPUT;
        }
        return ExitCodes.PROVIDER;
    }

    /**
     * A job that may exist at its provider, in the CLI's words: why its outcome is unknown, its
     * local id, and that {@code retry} (a command) looks it up by its tag without creating another.
     */
    static String mayExist(JobMayExistException e, String retry) {
        return "job " + e.jobId() + " may exist at " + e.provider() + ": " + e.reason() + ". Its local record "
                + e.jobId() + " stays pending; " + retry + " looks for it at " + e.provider()
                + " by its tag and adopts it, without creating another";
    }

    static void putMoney(ObjectNode o, String field, Money m) {
        if (m == null) {
            o.putNull(field);
        } else {
            o.putObject(field).put("amount", m.amount()).put("currency", m.currency());
        }
    }

    private static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
