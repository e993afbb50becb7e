package dev.finetune4j.internal.deploy;

import dev.finetune4j.AuthenticationException;
import dev.finetune4j.ConflictException;
import dev.finetune4j.DeploymentMayExistException;
import dev.finetune4j.DeploymentRequiredException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.Tenant;
import dev.finetune4j.TransportException;
import dev.finetune4j.UnsupportedCapabilityException;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TimelineEntry.Action;
import dev.finetune4j.cost.Money;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.Deployments;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.deployment.ServingCost;
import dev.finetune4j.internal.FineTuningContext;
import dev.finetune4j.internal.Names;
import dev.finetune4j.internal.assistant.StoredAssistant;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.DeploymentRequest;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.RemoteDeployment;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Deployments} of one tenant. Records live in {@code deployments/ASSISTANT/ID}; a
 * deployment is recorded before the provider is asked for it and after every answer, the provider
 * is asked to create it at most once per caller holding the record's create claim (as jobs are,
 * see {@code JobCreation}), and a create whose answer was lost is followed by a look-up of our tag,
 * never by a blind second create. State changes are observed by {@link #refresh}, which the
 * handles, {@link #resume()} and the job tracker call; each change starts an interval of the
 * record, from which billed time and spend are computed.
 *
 * <p>Also the guard of activation ({@link #requireServing}) and what the chat router asks about a
 * model version's serving address. Thread-safe: every change is a compare-and-set, retried.
 */
public final class DeploymentBook implements Deployments {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentBook.class);
    static final String DEPLOYMENTS = "deployments";
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_CONFLICT_RETRIES = 50;

    /**
     * How long a create claim holds when its holder never releases it (killed while creating):
     * longer than the create call's deadline plus the look-up after a lost answer. Until then
     * nobody else sends the create; a deployment whose create did arrive is found by its tag.
     */
    static final Duration CREATE_CLAIM = Duration.ofMinutes(20);

    private final FineTuningContext ft;
    private final VersionStore store;
    private final Tenant tenant;
    private final Clock clock;
    private final DeploymentIntents intents;

    /** The deployments of the context's tenant, in its store. */
    public DeploymentBook(FineTuningContext context) {
        this.ft = Objects.requireNonNull(context, "context");
        this.store = context.store();
        this.tenant = context.tenant();
        this.clock = context.clock();
        this.intents = new DeploymentIntents(this, store);
    }

    Tenant tenant() {
        return tenant;
    }

    Clock clock() {
        return clock;
    }

    FineTuningContext context() {
        return ft;
    }

    // ---- records ------------------------------------------------------------------------------

    StoreKey key(String assistant, String id) {
        return new StoreKey(tenant, DEPLOYMENTS, assistant + "/" + id);
    }

    DeploymentRecord read(String assistant, String id) {
        StoreKey key = key(assistant, id);
        Revision r = store.latest(key).orElseThrow(() -> new NotFoundException("there is no deployment '"
                + Names.printable(id) + "' of assistant '" + assistant + "'"));
        return DeploymentRecord.fromJson(r.value(), key.toString());
    }

    /**
     * Writes the next revision of a record; concurrent writers are resolved by re-reading and
     * re-applying the change, which must therefore be idempotent.
     */
    DeploymentRecord update(String assistant, String id, UnaryOperator<DeploymentRecord> change) {
        StoreKey key = key(assistant, id);
        for (int attempt = 1; ; attempt++) {
            Revision r = store.latest(key).orElseThrow();
            DeploymentRecord next = change.apply(DeploymentRecord.fromJson(r.value(), key.toString()).copy());
            next.updatedAt = clock.instant();
            try {
                store.write(key, next.toJson(), r.number());
                return next;
            } catch (ConflictException e) {
                if (attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** The records of one assistant (or of every assistant when null), oldest first. */
    private List<DeploymentRecord> records(String assistant) {
        List<DeploymentRecord> out = new ArrayList<>();
        String prefix = assistant == null ? null : assistant + "/";
        String cursor = prefix;
        while (true) {
            StorePage page = store.list(tenant, DEPLOYMENTS, cursor, 1000);
            for (StoreKey k : page.keys()) {
                if (prefix != null && !k.id().startsWith(prefix)) {
                    return sorted(out);
                }
                store.latest(k).ifPresent(r -> out.add(DeploymentRecord.fromJson(r.value(), k.toString())));
            }
            if (page.nextCursor() == null) {
                return sorted(out);
            }
            cursor = page.nextCursor();
        }
    }

    private static List<DeploymentRecord> sorted(List<DeploymentRecord> records) {
        records.sort(Comparator.comparing((DeploymentRecord r) -> r.createdAt).thenComparing(r -> r.id));
        return records;
    }

    private DeploymentRecord find(String id) {
        Names.requireValid(id, "deployment id");
        for (DeploymentRecord r : records(null)) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        throw new NotFoundException("there is no deployment '" + Names.printable(id) + "'");
    }

    private static String newId() {
        StringBuilder sb = new StringBuilder("ftd-");
        for (int i = 0; i < 12; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    // ---- providers ----------------------------------------------------------------------------

    /**
     * The provider's deployment service.
     *
     * @throws UnsupportedCapabilityException naming the provider when it cannot deploy
     */
    static DeploymentService service(Provider provider) {
        if (!provider.descriptor().capabilities().has(Capability.DEPLOY)) {
            throw new UnsupportedCapabilityException(provider.id(), Capability.DEPLOY, "deploy trained models");
        }
        return provider.deployments().orElseThrow(() -> new UnsupportedCapabilityException(provider.id(),
                Capability.DEPLOY, "deploy trained models"));
    }

    DeploymentService service(String providerId) {
        return service(ft.provider(providerId));
    }

    static DeploymentRequest request(DeploymentRecord r) {
        return new DeploymentRequest(r.id, r.assistant, r.modelVersion, r.providerModelId, r.baseModel, r.spec);
    }

    // ---- deploy -------------------------------------------------------------------------------

    @Override
    public Deployment deploy(String assistant, int modelVersion, DeploymentSpec spec, Change change) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(change, "change");
        StoredAssistant a = ft.storedAssistant(assistant);
        ModelVersion v = a.modelVersion(modelVersion).orElseThrow(() -> new NotFoundException("assistant '"
                + assistant + "' has no model version " + modelVersion));
        if (!v.state().usable()) {
            throw new IllegalStateException("model version " + modelVersion + " of '" + assistant + "' is " + v.state()
                    + "; only READY versions can be deployed");
        }
        Provider provider = ft.provider(v.provider());
        DeploymentService service = service(provider);
        service.checkRequest(new DeploymentRequest("ftd-check0000000", assistant, modelVersion, v.providerModelId(),
                v.baseModel(), spec));
        DeploymentIntents.Intent intent = DeploymentIntents.of(assistant, modelVersion, provider.id(),
                v.providerModelId(), spec);
        DeploymentRecord record;
        while (true) {
            Optional<Revision> claim = intents.current(intent);
            if (claim.isPresent() && !spec.again()) {
                Deployment existing = reuse(intents.materialize(claim.get()));
                if (existing != null) {
                    LOG.info("deployment {} has the same intent ({}); not creating another", existing.id(),
                            existing.state());
                    return existing;
                }
            }
            record = newRecord(v, provider.id(), spec, intent, change);
            if (intents.claim(intent, claim.map(Revision::number).orElse(0L), record)) {
                intents.writeFirst(record);
                break;
            }
        }
        LOG.info("deployment {} recorded: {} v{} at {} ({})", record.id, assistant, modelVersion, provider.id(), spec);
        try {
            record = create(record, service);
        } catch (IllegalArgumentException | InvalidRequestException | AuthenticationException e) {
            throw rejected(record, e);
        }
        return new DeploymentHandle(this, record, false);
    }

    private DeploymentRecord newRecord(ModelVersion v, String provider, DeploymentSpec spec,
            DeploymentIntents.Intent intent, Change change) {
        DeploymentRecord r = new DeploymentRecord();
        r.id = newId();
        r.assistant = v.assistant();
        r.modelVersion = v.number();
        r.provider = provider;
        r.providerModelId = v.providerModelId();
        r.baseModel = v.baseModel();
        r.spec = spec;
        r.intent = intent.fingerprint();
        r.actor = change.actor();
        r.reason = change.reason();
        r.createdAt = clock.instant();
        r.updatedAt = r.createdAt;
        r.observe(DeploymentState.PENDING, 0, r.createdAt);
        return r;
    }

    /**
     * The existing deployment to return for a deploy of the same intent, brought up to date, or
     * null when it is failed or deleted (a new one may be created).
     */
    private Deployment reuse(DeploymentRecord existing) {
        if (existing.state.isTerminal() || existing.undeployRequested) {
            return null;
        }
        DeploymentRecord now;
        if (existing.step == DeploymentRecord.Step.RECORDED) {
            // carried on from its step: a create that may have arrived is looked up by its tag first
            now = refreshRecord(existing);
        } else {
            try {
                now = refreshRecord(existing);
            } catch (FineTuneException e) {
                LOG.warn("deployment {}: could not refresh it ({}); going by its last recorded state", existing.id,
                        e.getMessage());
                now = existing;
            }
        }
        return now.state.isTerminal() ? null : new DeploymentHandle(this, now, true);
    }

    /** Records that the provider refused the deployment, so nothing retries the same refusal; returns the error. */
    private RuntimeException rejected(DeploymentRecord record, RuntimeException e) {
        update(record.assistant, record.id, r -> {
            r.rawState = "rejected";
            r.error = e.getMessage() == null ? e.toString() : e.getMessage();
            r.observe(DeploymentState.FAILED, 0, clock.instant());
            return r;
        });
        return e;
    }

    /**
     * Creates the deployment at the provider, or adopts the one an earlier attempt created: one that
     * may have been sent before is looked up by its tag first; then the create is claimed, so that
     * nobody else sends it at the same time (when another holds the claim, the record is returned
     * as it is).
     */
    private DeploymentRecord create(DeploymentRecord record, DeploymentService service) {
        if (record.createAttempts > 0) {
            Optional<RemoteDeployment> found;
            try {
                found = service.findByTag(record.id);
            } catch (FineTuneException e) {
                throw new DeploymentMayExistException(record.id, record.provider, "an earlier attempt sent its "
                        + "create request without learning the outcome, and looking it up by its tag failed: "
                        + e.getMessage(), e);
            }
            if (found.isPresent()) {
                LOG.info("deployment {} found at {} as {}; not creating another", record.id, record.provider,
                        found.get().remoteId());
                return created(record, found.get(), null, service);
            }
        }
        String token = "claim-" + newId().substring(4);
        Optional<DeploymentRecord> claimed = claimCreate(record, token);
        if (claimed.isEmpty()) {
            return read(record.assistant, record.id);
        }
        RemoteDeployment remote;
        try {
            remote = createOrFind(claimed.get(), service);
        } catch (RuntimeException e) {
            update(record.assistant, record.id, r -> {
                if (token.equals(r.createClaim)) {
                    r.createClaim = null;
                    r.createClaimUntil = null;
                }
                return r;
            });
            throw e;
        }
        return created(record, remote, token, service);
    }

    /** Sends the create; when its answer is lost, looks the deployment up by its tag instead. */
    private static RemoteDeployment createOrFind(DeploymentRecord record, DeploymentService service) {
        try {
            return service.deploy(request(record));
        } catch (TransportException e) {
            if (!e.mayHaveReachedServer()) {
                throw e;
            }
            Optional<RemoteDeployment> found;
            try {
                found = service.findByTag(record.id);
            } catch (FineTuneException lookup) {
                lookup.addSuppressed(e);
                throw new DeploymentMayExistException(record.id, record.provider, "the answer to its create request "
                        + "was lost (" + e.getMessage() + "), and looking it up by its tag failed: "
                        + lookup.getMessage(), lookup);
            }
            RemoteDeployment remote = found.orElseThrow(() -> new TransportException("creating deployment "
                    + record.id + " at " + record.provider + " failed in transit and no deployment with its tag "
                    + "exists there; Deployments.resume() creates it: " + e.getMessage(), e, record.provider, false));
            LOG.info("deployment {}: create failed in transit but it exists at {} as {}", record.id, record.provider,
                    remote.remoteId());
            return remote;
        }
    }

    /**
     * Claims the sending of the create request unless the deployment exists remotely already or
     * another live claim holds; the claim counts one more attempt.
     */
    private Optional<DeploymentRecord> claimCreate(DeploymentRecord record, String token) {
        StoreKey key = key(record.assistant, record.id);
        for (int attempt = 1; ; attempt++) {
            Revision r = store.latest(key).orElseThrow();
            DeploymentRecord current = DeploymentRecord.fromJson(r.value(), key.toString());
            Instant now = clock.instant();
            if (current.step == DeploymentRecord.Step.CREATED || current.state.isTerminal()) {
                return Optional.empty();
            }
            if (current.createClaim != null && current.createClaimUntil.isAfter(now)) {
                LOG.info("deployment {} is being created by another caller (claimed until {}); not sending its "
                        + "create", record.id, current.createClaimUntil);
                return Optional.empty();
            }
            current.createClaim = token;
            current.createClaimUntil = now.plus(CREATE_CLAIM);
            current.createAttempts++;
            current.updatedAt = now;
            try {
                store.write(key, current.toJson(), r.number());
                return Optional.of(current);
            } catch (ConflictException e) {
                if (attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Records that the deployment exists remotely (releasing the create claim {@code token}, null for
     * an adoption), then its DEPLOY timeline entry.
     */
    private DeploymentRecord created(DeploymentRecord record, RemoteDeployment remote, String token,
            DeploymentService service) {
        Instant now = clock.instant();
        DeploymentRecord r = update(record.assistant, record.id, next -> {
            next.step = DeploymentRecord.Step.CREATED;
            next.remoteId = remote.remoteId();
            if (token == null || token.equals(next.createClaim)) {
                next.createClaim = null;
                next.createClaimUntil = null;
            }
            // ready only once verifyServing passed (observeRemote, below)
            apply(next, remote, remote.state() == DeploymentState.READY && !next.verified
                    ? DeploymentState.INITIALIZING : remote.state(), null, now);
            return next;
        });
        LOG.info("deployment {} exists at {} as {} ({})", r.id, r.provider, r.remoteId, r.rawState);
        r = recordDeploy(r);
        ft.selectionBus().publish(r.assistant);
        if (remote.state() == DeploymentState.READY && !r.verified) {
            r = observeRemote(r, remote, service);
        }
        return r;
    }

    /** Writes the DEPLOY entry of the timeline once. */
    private DeploymentRecord recordDeploy(DeploymentRecord r) {
        if (r.deployRecorded) {
            return r;
        }
        ft.storedAssistant(r.assistant).recordDeployment(r.modelVersion, Action.DEPLOY,
                Change.by(r.actor == null ? Change.SYSTEM.actor() : r.actor, timelineReason("deployment", r,
                        r.reason)));
        return update(r.assistant, r.id, next -> {
            next.deployRecorded = true;
            return next;
        });
    }

    private static String timelineReason(String what, DeploymentRecord r, String reason) {
        String names = what + " " + r.id + " at " + r.provider + (r.remoteId == null ? "" : " (" + r.remoteId + ")");
        return reason == null || reason.isBlank() ? names : reason + " (" + names + ")";
    }

    /** Copies a provider snapshot into a record, observing {@code state} at {@code at}. */
    private static void apply(DeploymentRecord r, RemoteDeployment remote, DeploymentState state, String problem,
            Instant at) {
        r.rawState = remote.rawState();
        remote.address().ifPresent(a -> {
            r.baseUrl = a.baseUrl().orElse(null);
            r.servedModel = a.model().orElse(null);
        });
        remote.pricePerHour().ifPresent(p -> r.pricePerHour = p);
        remote.hardware().ifPresent(h -> r.hardware = h);
        r.error = problem != null ? problem : remote.error().orElse(null);
        r.observe(state, state == DeploymentState.DELETED ? 0 : remote.billedReplicas(), at);
    }

    // ---- observing ----------------------------------------------------------------------------

    /** Brings one deployment up to date with its provider; see {@link Deployment#refresh()}. */
    DeploymentRecord refresh(String assistant, String id) {
        return refreshRecord(read(assistant, id));
    }

    private DeploymentRecord refreshRecord(DeploymentRecord record) {
        if (record.undeployRequested && record.state != DeploymentState.DELETED) {
            return finishUndeploy(record);
        }
        if (record.state.isTerminal()) {
            return record;
        }
        DeploymentService service = service(record.provider);
        if (record.step == DeploymentRecord.Step.RECORDED) {
            return create(record, service);
        }
        if (!record.deployRecorded) {
            record = recordDeploy(record);
        }
        return observeRemote(record, service.get(record.remoteId), service);
    }

    /**
     * Records what the provider reports, when it changed. A deployment reported ready is checked
     * once ({@link DeploymentService#verifyServing}) before it is recorded ready; until the check
     * passes it stays initializing with the check's message as its error.
     */
    DeploymentRecord observeRemote(DeploymentRecord record, RemoteDeployment remote, DeploymentService service) {
        DeploymentState state = remote.state();
        String problem = null;
        boolean verifiedNow = false;
        if (state == DeploymentState.READY && !record.verified) {
            try {
                service.verifyServing(remote, request(record));
                verifiedNow = true;
            } catch (FineTuneException e) {
                problem = e.getMessage();
                state = DeploymentState.INITIALIZING;
                LOG.warn("deployment {} runs but does not serve {} yet: {}", record.id, record.providerModelId,
                        problem);
            }
        }
        DeploymentState seen = state;
        String why = problem;
        boolean verified = verifiedNow;
        if (!changes(record, remote, seen, why) && !verified) {
            return record;
        }
        boolean routableBefore = record.state.routable();
        Instant now = clock.instant();
        LOG.info("deployment {}: {} -> {} ({})", record.id, record.state, seen, remote.rawState());
        DeploymentRecord r = update(record.assistant, record.id, next -> {
            if (next.state == DeploymentState.DELETED) {
                return next;
            }
            apply(next, remote, seen, why, now);
            next.verified |= verified;
            return next;
        });
        if (routableBefore != r.state.routable() || r.state.isTerminal()) {
            ft.selectionBus().publish(r.assistant);
        }
        return r;
    }

    private static boolean changes(DeploymentRecord r, RemoteDeployment remote, DeploymentState state, String problem) {
        ServingAddress address = remote.address().orElse(null);
        int billed = state == DeploymentState.DELETED ? 0 : remote.billedReplicas();
        return r.state != state || !r.rawState.equals(remote.rawState())
                || (address != null && !address.equals(r.address()))
                || (remote.pricePerHour().isPresent() && !remote.pricePerHour().get().equals(r.pricePerHour))
                || r.current().billedReplicas() != billed
                || !Objects.equals(r.error, problem != null ? problem : remote.error().orElse(null));
    }

    /** Asks the provider for one change (scale, pause, resume, scale to zero) and records the answer. */
    DeploymentRecord change(DeploymentRecord record, String action, Capability needed,
            java.util.function.BiFunction<DeploymentService, String, RemoteDeployment> call) {
        Provider provider = ft.provider(record.provider);
        if (needed != null && !provider.descriptor().capabilities().has(needed)) {
            throw new UnsupportedCapabilityException(provider.id(), needed, action + " deployment " + record.id);
        }
        DeploymentRecord current = refreshRecord(record);
        if (current.remoteId == null || current.state.isTerminal()) {
            throw new IllegalStateException("deployment " + record.id + " is " + current.state
                    + (current.remoteId == null ? " and does not exist at " + record.provider + " yet" : "")
                    + "; cannot " + action + " it");
        }
        DeploymentService service = service(provider);
        return observeRemote(current, call.apply(service, current.remoteId), service);
    }

    // ---- undeploy -----------------------------------------------------------------------------

    @Override
    public Deployment undeploy(String id, boolean force, Change change) {
        Objects.requireNonNull(change, "change");
        DeploymentRecord record = find(id);
        if (record.state == DeploymentState.DELETED) {
            return new DeploymentHandle(this, record, false);
        }
        if (!force) {
            Selection s = ft.storedAssistant(record.assistant).selection();
            String role = s.activeModelVersion().orElse(-1) == record.modelVersion ? "active"
                    : s.candidateModelVersion().orElse(-1) == record.modelVersion ? "the candidate" : null;
            boolean another = records(record.assistant).stream().anyMatch(r -> !r.id.equals(record.id)
                    && r.modelVersion == record.modelVersion && r.state.routable() && !r.undeployRequested);
            if (role != null && !another) {
                throw new IllegalStateException("deployment " + id + " serves model version " + record.modelVersion
                        + " of '" + record.assistant + "', which is " + role + "; undeploying it would leave that "
                        + "version unserved (chat would fall back to the base model). Deactivate it first (finetune4j "
                        + (role.equals("active") ? "deactivate " : "candidate clear ") + record.assistant
                        + ", or activate another version), or undeploy with force (--force)");
            }
        }
        DeploymentRecord marked = update(record.assistant, record.id, r -> {
            if (!r.undeployRequested) {
                r.undeployRequested = true;
                r.undeployActor = change.actor();
                r.undeployReason = change.reason();
            }
            return r;
        });
        return new DeploymentHandle(this, finishUndeploy(marked), false);
    }

    /** Deletes the deployment at its provider (finding it by its tag when it was never recorded created), records it deleted. */
    private DeploymentRecord finishUndeploy(DeploymentRecord record) {
        DeploymentService service = service(record.provider);
        String remoteId = record.remoteId;
        if (remoteId == null) {
            remoteId = service.findByTag(record.id).map(RemoteDeployment::remoteId).orElse(null);
        }
        if (remoteId != null) {
            service.undeploy(remoteId);
        }
        String deleted = remoteId;
        Instant now = clock.instant();
        DeploymentRecord r = update(record.assistant, record.id, next -> {
            if (deleted != null) {
                next.remoteId = deleted;
            }
            next.rawState = "deleted";
            next.createClaim = null;
            next.createClaimUntil = null;
            next.observe(DeploymentState.DELETED, 0, now);
            return next;
        });
        LOG.info("deployment {} undeployed at {}{}", r.id, r.provider, deleted == null ? " (it never existed there)"
                : " (" + deleted + ")");
        if (!r.undeployRecorded) {
            ft.storedAssistant(r.assistant).recordDeployment(r.modelVersion, Action.UNDEPLOY,
                    Change.by(r.undeployActor == null ? Change.SYSTEM.actor() : r.undeployActor,
                            timelineReason("undeployed", r, r.undeployReason)));
            r = update(r.assistant, r.id, next -> {
                next.undeployRecorded = true;
                return next;
            });
        }
        ft.selectionBus().publish(r.assistant);
        return r;
    }

    // ---- queries ------------------------------------------------------------------------------

    @Override
    public Deployment deployment(String id) {
        return new DeploymentHandle(this, find(id), false);
    }

    @Override
    public List<Deployment> list() {
        return handles(records(null));
    }

    @Override
    public List<Deployment> list(String assistant) {
        Names.requireValid(assistant, "assistant name");
        return handles(records(assistant));
    }

    @Override
    public List<Deployment> list(String assistant, int modelVersion) {
        Names.requireValid(assistant, "assistant name");
        return handles(records(assistant).stream().filter(r -> r.modelVersion == modelVersion).toList());
    }

    private List<Deployment> handles(List<DeploymentRecord> records) {
        return records.stream().map(r -> (Deployment) new DeploymentHandle(this, r, false)).toList();
    }

    @Override
    public List<Deployment> active() {
        return handles(records(null).stream().filter(DeploymentBook::unsettled).toList());
    }

    /** Whether something may still happen to it: not failed or deleted, or an undeploy to finish. */
    private static boolean unsettled(DeploymentRecord r) {
        return !r.state.isTerminal() || (r.undeployRequested && r.state != DeploymentState.DELETED);
    }

    @Override
    public Optional<Deployment> serving(String assistant, int modelVersion) {
        Names.requireValid(assistant, "assistant name");
        List<DeploymentRecord> all = records(assistant);
        for (int i = all.size() - 1; i >= 0; i--) {
            DeploymentRecord r = all.get(i);
            if (r.modelVersion == modelVersion && r.state.routable() && !r.undeployRequested) {
                return Optional.of(new DeploymentHandle(this, r, false));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Deployment> resume() {
        List<Deployment> touched = new ArrayList<>();
        for (Deployment d : active()) {
            touched.add(d.refresh());
        }
        return touched;
    }

    @Override
    public ServingCost costPerHour(String assistant) {
        Names.requireValid(assistant, "assistant name");
        Money sum = null;
        List<String> billed = new ArrayList<>();
        List<String> unpriced = new ArrayList<>();
        for (DeploymentRecord r : records(assistant)) {
            int replicas = r.current().billedReplicas();
            if (replicas == 0) {
                continue;
            }
            if (r.pricePerHour == null || (sum != null && !sum.currency().equals(r.pricePerHour.currency()))) {
                unpriced.add(r.id);
                continue;
            }
            Money cost = r.pricePerHour.times(replicas);
            sum = sum == null ? cost : sum.plus(cost);
            billed.add(r.id);
        }
        return new ServingCost(assistant, sum == null ? Money.zero("USD") : sum, billed, unpriced);
    }

    // ---- for activation and the router ----------------------------------------------------------

    /**
     * Refuses to make a model version active or the candidate when its provider needs a deployment
     * and it has neither a routable deployment nor a standing address at the provider (a serving
     * URL configured by hand). A provider that is not configured cannot be asked: the version is
     * let through, as before deployments existed.
     *
     * @throws DeploymentRequiredException with the command that deploys it
     */
    public void requireServing(ModelVersion version, String action) {
        Optional<Provider> provider = ft.findProvider(version.provider());
        if (provider.isEmpty() || !provider.get().descriptor().trainedModelsNeedDeployment()) {
            return;
        }
        List<DeploymentRecord> mine = records(version.assistant()).stream()
                .filter(r -> r.modelVersion == version.number()).toList();
        if (mine.stream().anyMatch(r -> r.state.routable() && !r.undeployRequested)) {
            return;
        }
        if (standingAddress(provider.get(), version.providerModelId()).isPresent()) {
            return;
        }
        String detail = mine.isEmpty() ? "it has no deployment"
                : "its last deployment " + mine.get(mine.size() - 1).id + " is " + mine.get(mine.size() - 1).state
                        + (mine.get(mine.size() - 1).state.isTerminal() ? "" : ", not ready yet");
        throw new DeploymentRequiredException(version.assistant(), version.number(), version.provider(), action,
                detail);
    }

    /** Where a provider serves a model without a deployment of ours (a hand-configured serving URL), if anywhere. */
    public static Optional<ServingAddress> standingAddress(Provider provider, String providerModelId) {
        if (!provider.descriptor().capabilities().has(Capability.DEPLOY)) {
            return Optional.empty();
        }
        return provider.deployments().flatMap(d -> d.standingAddress(providerModelId));
    }

    /** The last recorded deployment of a model version, routable or not (for the router's reason). */
    public Optional<Deployment> latest(String assistant, int modelVersion) {
        List<DeploymentRecord> all = records(assistant).stream().filter(r -> r.modelVersion == modelVersion).toList();
        return all.isEmpty() ? Optional.empty()
                : Optional.of(new DeploymentHandle(this, all.get(all.size() - 1), false));
    }

    @Override
    public String toString() {
        return "Deployments[tenant=" + tenant.id() + "]";
    }
}
