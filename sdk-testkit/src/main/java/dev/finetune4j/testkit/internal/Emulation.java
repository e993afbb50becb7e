package dev.finetune4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedFile;
import dev.finetune4j.testkit.EmulatedJob;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every provider emulation shares: settings, ids, the scripted faults, the jobs and their
 * state machine ({@link JobBoard}), the trained models, the route table, and serving one request
 * under the fault plan and the state lock. A provider's emulation says only what its API looks
 * like: its routes, JSON, statuses, error bodies and rules. Thread-safe: requests are served
 * concurrently, state changes one request at a time (under this object's lock).
 *
 * @param <J> the provider's job
 * @param <M> the provider's trained model
 */
public abstract class Emulation<J extends JobRun, M extends TrainedModel> implements EmulatorServer.Handler {

    /** How a request's Bearer key compares with what the emulator accepts. */
    protected enum Key { MISSING, WRONG, ACCEPTED }

    protected final Settings settings;
    protected final Ids ids;
    /** The trained models chat accepts, by id, oldest first. Guarded by this. */
    protected final Map<String, M> models = new LinkedHashMap<>();
    /** The files of a files endpoint. Guarded by this. */
    protected final FileStore files;
    /** Messages for the next uploads to refuse. Guarded by this. */
    protected final Deque<String> uploadRejections = new ArrayDeque<>();
    private final FaultPlan faults = new FaultPlan();
    /** Built on the first request, when the provider's fields are set. Guarded by this. */
    private Routes routes;

    /** @param unknownFile the provider's error for an unknown file id */
    protected Emulation(Settings settings, Function<String, ApiError> unknownFile) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ids = new Ids(settings.seed());
        this.files = new FileStore(unknownFile);
    }

    // ---------------------------------------------------------------- what the provider says

    /** The provider's jobs. */
    protected abstract JobBoard<J, ?> jobs();

    /** The provider's routes and its answers for unknown ones. */
    protected abstract void routes(Routes routes);

    /** The provider's 429 for a wait of {@code seconds}. */
    protected abstract Reply rateLimited(long seconds);

    /** The provider's 500. */
    protected abstract Reply serverError();

    /** Adds the headers every answer of the provider carries (request ids, versions). */
    protected abstract Reply decorate(Reply reply);

    /** Forgets the provider's own state (uploads, repositories); jobs, models and files are forgotten here. */
    protected void clearState() {}

    /** The files a test sees, oldest first. */
    public synchronized List<EmulatedFile> fileSnapshots() {
        return files.snapshots();
    }

    /** The trained model chat may use under this id now, if any. */
    protected Optional<M> servedModel(String id) {
        return Optional.ofNullable(models.get(id));
    }

    /** The name a base model answers under (a provider may resolve an alias to a snapshot). */
    protected String servedName(String baseModel) {
        return baseModel;
    }

    // ---------------------------------------------------------------- for the public facade

    public final FaultPlan faults() {
        return faults;
    }

    /** The next job created fails after it started running, with this code and message. */
    public synchronized void failNextJob(String code, String message) {
        jobs().scriptFailure(new Failure(code, message));
    }

    /** The next upload is refused with a 400 and this message. */
    public synchronized void rejectNextUpload(String message) {
        uploadRejections.add(message);
    }

    /**
     * Deletes a trained model as its owner would.
     *
     * @throws IllegalArgumentException when no such model exists
     */
    public synchronized void deleteModel(String id) {
        if (models.remove(id) == null) {
            throw new IllegalArgumentException("no fine-tuned model '" + id + "' exists in the emulator; known: "
                    + models.keySet());
        }
    }

    /**
     * Moves one job one status on, as one poll would.
     *
     * @throws IllegalArgumentException when there is no such job
     */
    public synchronized void advance(String jobId) {
        jobs().syncTimed();
        jobs().advance(jobId);
    }

    /** Runs every job that can move without the client's help to its end. */
    public synchronized void finishAll() {
        jobs().syncTimed();
        jobs().finishAll();
    }

    /** The jobs, oldest first, as a test sees them now. */
    public synchronized List<EmulatedJob> jobSnapshots() {
        jobs().syncTimed();
        List<EmulatedJob> out = new ArrayList<>();
        jobs().all().forEach(j -> out.add(j.snapshot()));
        return out;
    }

    /** The ids of the models chat accepts now: base models, then trained ones. */
    public synchronized List<String> modelIds() {
        jobs().syncTimed();
        List<String> out = new ArrayList<>(settings.baseModels());
        for (String id : models.keySet()) {
            servedModel(id).ifPresent(m -> out.add(m.id));
        }
        return out;
    }

    /** Forgets all state and scripted faults. */
    public synchronized void reset() {
        jobs().clear();
        models.clear();
        files.clear();
        uploadRejections.clear();
        faults.clear();
        clearState();
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    public final Reply handle(HttpCall call) {
        Reply reply = faults.serve(call, this::rateLimited, this::serverError, () -> {
            synchronized (this) {
                if (routes == null) {
                    routes = new Routes();
                    routes(routes);
                }
                jobs().syncTimed();
                try {
                    return routes.dispatch(call);
                } catch (ApiError e) {
                    return e.reply();
                }
            }
        });
        return decorate(reply);
    }

    // ---------------------------------------------------------------- helpers for the providers

    /** How the request's {@code Authorization: Bearer} key compares with the one the emulator accepts. */
    protected final Key key(HttpCall call) {
        String header = call.header("authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            return Key.MISSING;
        }
        return settings.apiKey() == null || settings.apiKey().equals(header.substring(7).trim()) ? Key.ACCEPTED
                : Key.WRONG;
    }

    public final Settings settings() {
        return settings;
    }

    public final Ids ids() {
        return ids;
    }

    public final FileStore files() {
        return files;
    }

    /** Adds a model a job produced; chat accepts it from now on. */
    public final void addModel(M model) {
        models.put(model.id, model);
    }

    public final boolean isBaseModel(String id) {
        return settings.baseModels().contains(id);
    }

    /** Now on the emulator's clock, in Unix seconds. */
    public final long epochSecond() {
        return settings.clock().epochSecond();
    }

    /**
     * What {@code model} answers to the messages of {@code body}: a base model the fixed generic
     * sentence about the last user message (JSON when {@code response_format} asks for it), a
     * trained model its closest example's answer at the conversation's point ({@link ChatTurn#trained}).
     *
     * @throws ApiError {@code unknownModel} when the model is neither
     */
    public final ChatTurn.Answer answer(String model, ObjectNode body, Supplier<ApiError> unknownModel) {
        JsonNode messages = body.path("messages");
        if (isBaseModel(model)) {
            return new ChatTurn.Answer(ChatTurn.base(servedName(model), ChatTurn.lastUserText(messages),
                    body.path("response_format").path("type").asText("")), null);
        }
        return ChatTurn.trained(servedModel(model).orElseThrow(unknownModel).examples, messages);
    }

    /** The completion limit a chat body sets with the first of {@code fields} present, else none. */
    public static int maxTokens(ObjectNode body, String... fields) {
        for (String f : fields) {
            JsonNode v = body.get(f);
            if (v != null && !v.isNull()) {
                return v.asInt();
            }
        }
        return Integer.MAX_VALUE;
    }
}
