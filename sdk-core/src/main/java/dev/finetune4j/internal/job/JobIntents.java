package dev.finetune4j.internal.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.internal.IntentClaims;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.ReuseReason;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes submissions idempotent per intent. The intent of a spec is what it trains — assistant,
 * dataset version id, provider, resolved base model, the version continued from, hyper-parameters,
 * suffix, validation flag, options and the validation fraction of the split — written in one
 * canonical JSON form; its SHA-256 is the intent's fingerprint. {@code start} is not part of it: a
 * job created for its cost preview has the intent of the spec that later starts it.
 *
 * <p>Per intent, one record {@code job-intents/<assistant>/<fingerprint>} names the job that
 * carries it. A submission claims that record with compare-and-set <em>before</em> it writes its
 * job record, so two submissions racing on one intent cannot both record a job: the loser's write
 * fails and it finds the winner's job. The claim holds the job's first record, so a reader that
 * finds a claim whose job record is not written yet (its claimer is between the two writes, or
 * died there) writes that record itself and carries on with the job; no claim is ever taken over
 * while its job is unfinished.
 */
final class JobIntents {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.JOBS);
    static final String INTENTS = "job-intents";

    /**
     * One intent.
     *
     * @param assistant the assistant, the first part of the record id
     * @param canonical the canonical JSON form
     * @param fingerprint the SHA-256 of {@code canonical}, in hex
     */
    record Intent(String assistant, String canonical, String fingerprint) {}

    /**
     * What a submission does: return {@code existing}, or create a job after claiming the intent
     * at {@code revision} (0: nobody ever claimed it).
     */
    record Decision(FineTuneJob existing, long revision) {

        static Decision create(long revision) {
            return new Decision(null, revision);
        }
    }

    private final JobService service;
    private final VersionStore store;

    JobIntents(JobService service) {
        this.service = service;
        this.store = service.store();
    }

    /** The intent of a planned submission. */
    static Intent of(JobService.Plan plan, double validationFraction) {
        FineTuneSpec spec = plan.spec();
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("assistant", plan.assistant().name());
        n.put("dataset", plan.version().datasetRef());
        n.put("dataset_version_id", plan.version().id());
        n.put("provider", plan.provider().id());
        n.put("base_model", plan.baseModel());
        if (spec.continueFrom().isPresent()) {
            n.put("continue_from", spec.continueFrom().getAsInt());
        } else {
            n.putNull("continue_from");
        }
        JobRecord.putHyperparameters(n.putObject("hyperparameters"), spec.hyperparameters());
        n.put("suffix", spec.suffix().orElse(null));
        n.put("validation", spec.validation());
        n.put("validation_fraction", validationFraction);
        ObjectNode options = n.putObject("options");
        new TreeMap<>(spec.options()).forEach(options::put);
        String canonical = n.toString();
        return new Intent(plan.assistant().name(), canonical, sha256(canonical));
    }

    private StoreKey key(Intent intent) {
        return new StoreKey(service.tenant(), INTENTS, intent.assistant() + "/" + intent.fingerprint());
    }

    /**
     * Decides what a submission of {@code spec} does about its intent: with {@code again}, create;
     * otherwise reuse the job that carries the intent when it is unfinished or trained a version
     * that is not deleted (bringing it up to date first: an unfinished job is refreshed, or carried
     * on from its recorded step, and a previewed job is started when the spec starts training and
     * the provider priced it), else create.
     */
    Decision decide(Intent intent, FineTuneSpec spec) {
        Optional<Revision> current = store.latest(key(intent));
        if (current.isEmpty()) {
            return Decision.create(0);
        }
        if (spec.again()) {
            return Decision.create(current.get().number());
        }
        JobRecord job = materialize(current.get());
        FineTuneJob existing = reuse(job, spec);
        if (existing == null) {
            return Decision.create(current.get().number());
        }
        LOG.info("job {} has the same intent ({}); not creating another", job.id, existing.reused().orElseThrow());
        return new Decision(existing, current.get().number());
    }

    /** The existing job to return for {@code spec}, or null when a new one may be created. */
    private FineTuneJob reuse(JobRecord job, FineTuneSpec spec) {
        boolean settled = job.status.isTerminal() && !(job.status == JobStatus.SUCCEEDED && job.modelVersion == null);
        JobRecord now = settled ? job : upToDate(job);
        if (now.status == JobStatus.SUCCEEDED) {
            // Trained: paid for already. Not registered yet (its refresh failed just now) counts too.
            return now.modelVersion == null || trained(now)
                    ? new JobHandle(service, now, ReuseReason.ALREADY_TRAINED) : null;
        }
        if (now.status.isTerminal()) {
            // Failed or cancelled (perhaps while we looked): it does not stop a new job.
            return null;
        }
        if (!now.start) {
            if (spec.start() && now.remoteId != null && now.costPreview != null) {
                return new JobHandle(service, now, ReuseReason.PREVIEW_STARTED).start();
            }
            return new JobHandle(service, now, ReuseReason.PREVIEW_WAITING);
        }
        return new JobHandle(service, now, ReuseReason.UNFINISHED);
    }

    /**
     * An unfinished job, refreshed: one not yet created remotely is carried on from its step (its
     * failures, such as a job that may exist but cannot be looked up, reach the caller); one that
     * exists remotely keeps its last recorded state when the provider cannot be read right now,
     * since nothing about it changes whether to create another.
     */
    private JobRecord upToDate(JobRecord job) {
        if (job.step != JobRecord.Step.CREATED) {
            return service.refresh(job.id);
        }
        try {
            return service.refresh(job.id);
        } catch (FineTuneException e) {
            LOG.warn("job {}: could not refresh it ({}); going by its last recorded state", job.id, e.getMessage());
            return job;
        }
    }

    /** Whether the version a succeeded job registered is still there (a deleted one may be trained again). */
    private boolean trained(JobRecord job) {
        return service.modelVersion(job.assistant, job.modelVersion).map(ModelVersion::state)
                .filter(s -> s != ModelState.DELETED).isPresent();
    }

    /**
     * Claims the intent for a new job whose first record is {@code first}, if nobody claimed it
     * since {@code revision} was read.
     *
     * @return false when another submission claimed it first
     */
    boolean claim(Intent intent, long revision, JobRecord first) {
        boolean claimed = IntentClaims.claim(store, key(intent), revision, intent.canonical(), "job", first.id,
                first.toJson());
        if (!claimed) {
            LOG.debug("intent {} was claimed by another submission first", intent.fingerprint());
        }
        return claimed;
    }

    /** The job a claim names, writing its first record from the claim when it is not written yet. */
    private JobRecord materialize(Revision claim) {
        JobRecord first = JobRecord.fromJson(IntentClaims.firstRecord(claim, "job", "job"), claim.key().toString());
        writeFirst(first);
        return service.read(first.id);
    }

    /**
     * Writes a job's first record unless it is there already: the claimer and a reader that found
     * the claim first may both write it, from the same content.
     */
    void writeFirst(JobRecord first) {
        if (!IntentClaims.writeFirst(store, service.key(first.id), first.toJson())) {
            LOG.debug("job {} was recorded already (from its intent claim)", first.id);
        }
    }

    /** The SHA-256 of the UTF-8 bytes of {@code text}, in lower-case hex. */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
