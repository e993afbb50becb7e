package dev.finetune4j.internal.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.internal.IntentClaims;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes deploys idempotent per intent, as job submissions are: the intent of a deploy is the model
 * version (assistant, number, provider, provider model id) and the spec without {@code again},
 * written in one canonical JSON form whose SHA-256 is its fingerprint. Per intent, one record
 * {@code deployment-intents/<assistant>/<fingerprint>} names the deployment that carries it and
 * holds that deployment's first record. A deploy claims it with compare-and-set before it writes
 * the deployment's record, so two deploys racing on one intent cannot both record a deployment;
 * a reader that finds a claim whose record is not written yet writes it from the claim.
 */
final class DeploymentIntents {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentIntents.class);
    static final String INTENTS = "deployment-intents";

    /** One intent: the assistant (first part of the record id), the canonical form and its SHA-256 in hex. */
    record Intent(String assistant, String canonical, String fingerprint) {}

    private final DeploymentBook book;
    private final VersionStore store;

    DeploymentIntents(DeploymentBook book, VersionStore store) {
        this.book = book;
        this.store = store;
    }

    /** The intent of deploying a model version with a spec. */
    static Intent of(String assistant, int modelVersion, String provider, String providerModelId,
            DeploymentSpec spec) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("assistant", assistant);
        n.put("model_version", modelVersion);
        n.put("provider", provider);
        n.put("provider_model_id", providerModelId);
        n.put("hardware", spec.hardware().orElse(null));
        n.put("region", spec.region().orElse(null));
        n.put("min_replicas", spec.minReplicas());
        n.put("max_replicas", spec.maxReplicas());
        n.put("scale_to_zero_after_seconds", spec.scaleToZeroAfter().map(d -> d.getSeconds()).orElse(null));
        ObjectNode options = n.putObject("options");
        spec.options().forEach(options::put);   // sorted by name
        String canonical = n.toString();
        return new Intent(assistant, canonical, HexFormat.of().formatHex(ExampleCodec.sha256(
                canonical.getBytes(StandardCharsets.UTF_8))));
    }

    private StoreKey key(Intent intent) {
        return new StoreKey(book.tenant(), INTENTS, intent.assistant() + "/" + intent.fingerprint());
    }

    /** The claim of an intent, if a deploy ever made one. */
    Optional<Revision> current(Intent intent) {
        return store.latest(key(intent));
    }

    /**
     * Claims the intent for a new deployment whose first record is {@code first}, if nobody claimed
     * it since {@code revision} (0: never claimed).
     *
     * @return false when another deploy claimed it first
     */
    boolean claim(Intent intent, long revision, DeploymentRecord first) {
        boolean claimed = IntentClaims.claim(store, key(intent), revision, intent.canonical(), "deployment", first.id,
                first.toJson());
        if (!claimed) {
            LOG.debug("deployment intent {} was claimed by another deploy first", intent.fingerprint());
        }
        return claimed;
    }

    /** The deployment a claim names, writing its first record from the claim when it is not written yet. */
    DeploymentRecord materialize(Revision claim) {
        DeploymentRecord record = DeploymentRecord.fromJson(IntentClaims.firstRecord(claim, "deployment", "deployment"),
                claim.key().toString());
        writeFirst(record);
        return book.read(record.assistant, record.id);
    }

    /** Writes a deployment's first record unless it is there already (the claimer and a reader may both try). */
    void writeFirst(DeploymentRecord first) {
        if (!IntentClaims.writeFirst(store, book.key(first.assistant, first.id), first.toJson())) {
            LOG.debug("deployment {} was recorded already (from its intent claim)", first.id);
        }
    }
}
