package dev.finetune4j.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.finetune4j.FineTuning;
import dev.finetune4j.TransportException;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.TrainedOn;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ToolCallDelta;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderFactory;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every provider owes the core, checked against the provider's emulator: a published JUnit 5
 * suite that a provider module runs by extending it in its test sources. Each case creates the
 * provider as a host application would, by its id through {@link java.util.ServiceLoader}, configured
 * only from the emulator's {@link RunningEmulator#environment() environment} (its base URL and key
 * variables), and drives it through {@link FineTuning}:
 *
 * <ul>
 *   <li>the services the provider offers are those its descriptor's capabilities declare;
 *   <li>a job submitted through the core trains on the emulator and registers a model version with
 *       metrics and lineage (dataset version, training split, job, base model), which answers chat
 *       through the router from its training data, plain and streamed;
 *   <li>a job create whose response is lost is found again by its tag: exactly one remote job;
 *   <li>after the provider deletes the trained model, the router answers with the base model;
 *   <li>a streamed answer that is a tool call arrives in pieces ({@link ToolCallDelta}) that
 *       assemble into the whole call, with the usage at the end; after the tool's result the model
 *       goes on as its training example did;
 *   <li>a stream cut before its finish reason is a {@link TransportException}, never a finished
 *       answer;
 *   <li>the descriptor matches what the factory reads: every environment variable the factory reads
 *       is declared, every declared one is read, a required one that is missing is refused naming
 *       it, a number or boolean setting that is not one is refused naming it.
 * </ul>
 *
 * <p>A case the descriptor's {@link ProviderDescriptor#capabilities() capabilities} say the provider
 * cannot do is skipped, with the reason (a provider without {@link Capability#TOOLS} skips the
 * tool-call stream; without {@link Capability#FIND_BY_TAG} the lost create).
 *
 * <p>To run it, extend it, register the emulator as a JUnit extension and say how to script the
 * emulator; with the testkit's OpenAI emulator:
 *
 * <pre>{@code
 * class OpenAiProviderContractTest extends ProviderContract {
 *
 *     @RegisterExtension
 *     static OpenAiEmulator openai = OpenAiEmulator.create();
 *
 *     protected RunningEmulator emulator() {
 *         return openai;
 *     }
 *
 *     protected void loseNextJobCreateResponse() {
 *         openai.on("POST", "/fine_tuning/jobs").loseResponseNext();
 *     }
 *
 *     protected void cutNextChatStream(int events) {
 *         openai.on("POST", "/chat/completions").cutStreamAfter(events);
 *     }
 *
 *     protected void deleteModelAtProvider(String providerModelId) {
 *         openai.deleteModel(providerModelId);
 *     }
 *
 *     protected int remoteJobCount() {
 *         return openai.jobs().size();
 *     }
 * }
 * }</pre>
 *
 * An emulator written for another provider implements {@link RunningEmulator} (and, to be found by
 * the CLI's {@code emulator} and {@code quickstart} commands, {@code EmulatorFactory}); the hooks
 * above are what the suite needs beyond it. The suite uses an in-memory store; every case is
 * independent of the others, and the emulator is expected to start each case empty (the testkit's
 * emulators reset before each test). The assertions are JUnit's own, so the suite needs nothing
 * beyond the testkit.
 */
public abstract class ProviderContract {

    /** The assistant every case trains. */
    protected static final String ASSISTANT = "contract";

    /** Its dataset. */
    protected static final String DATASET = "main";

    private static final Message SYSTEM = Message.system("You parse workout voice notes into JSON.");

    private static final ToolDefinition LOG_WORKOUT = ToolDefinition.of("log_workout", "Logs a workout in the diary",
            "{\"type\":\"object\",\"properties\":{\"exercise\":{\"type\":\"string\"}},\"required\":[\"exercise\"]}");

    private static final List<String> EXERCISES = List.of("squat", "bench press", "deadlift", "lunge", "plank",
            "rowing");

    private final List<AutoCloseable> opened = new ArrayList<>();

    // ---------------------------------------------------------------- what a provider module says

    /**
     * The emulator the provider runs against, registered as a JUnit extension (or started) by the
     * subclass; its {@link RunningEmulator#environment()} configures the provider.
     */
    protected abstract RunningEmulator emulator();

    /**
     * Scripts the emulator to process the next job create and lose its response (the connection is
     * reset instead), e.g. {@code openai.on("POST", "/fine_tuning/jobs").loseResponseNext()}.
     */
    protected abstract void loseNextJobCreateResponse();

    /**
     * Scripts the emulator to send only the first {@code events} server-sent events of the next
     * streamed chat answer, e.g. {@code openai.on("POST", "/chat/completions").cutStreamAfter(events)}.
     */
    protected abstract void cutNextChatStream(int events);

    /** Deletes a trained model at the emulated provider, as its owner would: chat with it then fails. */
    protected abstract void deleteModelAtProvider(String providerModelId);

    /** How many jobs the emulated provider holds. */
    protected abstract int remoteJobCount();

    /**
     * Adds settings the emulator's environment does not give (a shorter log wait, say); the default
     * adds nothing. The API key and the endpoint come from the environment: do not set them here.
     */
    protected ProviderConfig.Builder configure(ProviderConfig.Builder config) {
        return config;
    }

    /**
     * The base model the cases train and chat with: the descriptor's default, else the first model
     * the emulator serves.
     */
    protected String baseModel() {
        return descriptor().defaultBaseModel().orElseGet(() -> {
            List<String> models = emulator().models();
            assertFalse(models.isEmpty(), "the emulator serves no model and the descriptor names no default");
            return models.get(0);
        });
    }

    // ---------------------------------------------------------------- the cases

    @Test
    void theServicesItOffers_areTheOnesItsDescriptorDeclares() {
        Provider provider = provider();

        assertEquals(emulator().providerId(), provider.id(), "the provider's id is its emulator's");
        assertEquals(descriptor(), provider.descriptor(), "the provider's descriptor is its factory's");
        assertEquals(capable(Capability.TRAINING), provider.training().isPresent(),
                "training() is present exactly when the descriptor declares TRAINING");
        assertEquals(capable(Capability.CHAT), provider.chat().isPresent(),
                "chat() is present exactly when the descriptor declares CHAT");
    }

    @Test
    void aJobTrainsOnTheEmulator_andRegistersAVersionWithMetricsAndLineage_thatAnswersFromItsTrainingData() {
        require(Capability.TRAINING, "train");
        require(Capability.CHAT, "chat with what it trained");
        FineTuning ft = fineTuning();
        Example asked = trainingExamples(ft, false).get(0);

        FineTuneJob job = train(ft);

        ModelVersion version = ft.assistant(ASSISTANT).modelVersion(job.modelVersion().orElseThrow()).orElseThrow();
        assertEquals(descriptor().id(), version.provider());
        assertEquals(job.fineTunedModel().orElseThrow(), version.providerModelId());
        assertEquals(baseModel(), version.baseModel());
        assertEquals(Optional.of(job.id()), version.jobId(), "the version names the job that trained it");
        assertFalse(version.metrics().values().isEmpty(), "the version carries the job's metrics");
        Dataset dataset = ft.dataset(ASSISTANT, DATASET);
        TrainedOn trainedOn = version.trainedOn().orElseThrow(() -> new AssertionError("the version has no lineage"));
        assertEquals(ASSISTANT + "/" + DATASET, trainedOn.dataset());
        assertEquals(dataset.latest().orElseThrow().id(), trainedOn.versionId());
        assertEquals(trainingExamples(ft, null).size(), trainedOn.trainingExamples());
        RemoteJob remote = training().getJob(job.remoteId().orElseThrow());
        assertEquals(JobStatus.SUCCEEDED, remote.status(), "the provider reports the job succeeded");

        activate(ft, version.number());
        ChatRouter router = router(ft);
        String question = userText(asked);
        ChatResponse plain = router.chat(ChatRequest.of(ASSISTANT, question));
        List<String> pieces = new ArrayList<>();
        ChatResponse streamed = router.chatStream(ChatRequest.of(ASSISTANT, question), pieces::add);

        String expected = lastAssistantText(asked);
        assertEquals(expected, plain.content(), "the trained model answers from its training data");
        assertEquals(version.number(), plain.servedBy().modelVersion());
        assertFalse(plain.servedBy().fallback(), "served by the trained model");
        assertTrue(plain.usage().inputTokens() > 0, "usage is reported");
        assertEquals(expected, streamed.content());
        assertEquals(expected, String.join("", pieces), "the streamed pieces make the answer");
        assertTrue(streamed.usage().outputTokens() > 0, "a stream reports its usage at the end");
    }

    @Test
    void aJobCreateWhoseResponseIsLost_isFoundByItsTag_andExactlyOneRemoteJobExists() {
        require(Capability.TRAINING, "train");
        require(Capability.FIND_BY_TAG, "find a job by its tag after a lost create");
        FineTuning ft = fineTuning();
        trainingExamples(ft, false);
        loseNextJobCreateResponse();

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder(ASSISTANT, DATASET).build());

        assertEquals(1, remoteJobCount(), "the lost create made one remote job, and the core made no second");
        String remoteId = job.remoteId().orElseThrow(() -> new AssertionError("the job was not adopted: " + job));
        Optional<RemoteJob> found = training().findJobByTag(job.id());
        assertEquals(Optional.of(remoteId), found.map(RemoteJob::remoteId), "the provider finds it by the core's tag");
        job.awaitCompletion(Duration.ofHours(3));
        assertEquals(JobStatus.SUCCEEDED, job.status(), () -> "the adopted job trains: " + job.error());
        assertEquals(1, remoteJobCount(), "still one remote job");
    }

    @Test
    void afterTheProviderDeletesTheTrainedModel_theRouterAnswersWithTheBaseModel() {
        require(Capability.TRAINING, "train");
        require(Capability.CHAT, "chat");
        FineTuning ft = fineTuning();
        String question = userText(trainingExamples(ft, false).get(0));
        FineTuneJob job = train(ft);
        activate(ft, job.modelVersion().orElseThrow());
        ChatRouter router = router(ft);
        assertFalse(router.chat(ChatRequest.of(ASSISTANT, question)).servedBy().fallback(), "before: the trained model");

        deleteModelAtProvider(job.fineTunedModel().orElseThrow());
        ChatResponse after = router.chat(ChatRequest.of(ASSISTANT, question));

        assertTrue(after.servedBy().fallback(), "after: a fallback");
        assertEquals(0, after.servedBy().modelVersion(), "answered by the base model");
        assertEquals(baseModel(), after.servedBy().providerModelId());
        assertFalse(after.content().isEmpty());
    }

    @Test
    void aToolCallStreams_inPiecesThatAssembleIntoTheCall_withUsageAtTheEnd_andTheToolResultIsAnswered() {
        require(Capability.TRAINING, "train");
        require(Capability.CHAT, "chat");
        require(Capability.TOOLS, "train tool calls");
        FineTuning ft = fineTuning();
        Example asked = trainingExamples(ft, true).get(0);
        String model = train(ft).fineTunedModel().orElseThrow();
        ToolCall trainedCall = asked.messages().stream().flatMap(m -> m.toolCalls().stream()).findFirst().orElseThrow();
        ChatService chat = provider().chat().orElseThrow();
        Recorder recorder = new Recorder();

        chat.chatStream(ChatCall.builder(model).message(SYSTEM).message(Message.user(userText(asked)))
                .tool(LOG_WORKOUT).build(), recorder);

        ChatResult result = recorder.completion();
        assertEquals("tool_calls", result.finishReason());
        assertEquals(1, result.toolCalls().size(), () -> "one call: " + result.toolCalls());
        ToolCall call = result.toolCalls().get(0);
        assertEquals(trainedCall.name(), call.name());
        assertEquals(trainedCall.arguments(), call.arguments());
        assertNotNull(call.id(), "the call has the id the provider gave it");
        assertFalse(recorder.deltas.isEmpty(), "the call arrived in pieces");
        ToolCallDelta head = recorder.deltas.get(0);
        assertEquals(call.id(), head.id(), "the first piece carries the call's id");
        assertEquals(call.name(), head.name(), "and its name");
        assertEquals(call.arguments(), recorder.deltas.stream().filter(d -> d.index() == 0)
                .map(d -> d.arguments() == null ? "" : d.arguments()).collect(Collectors.joining()),
                "the argument pieces make the arguments");
        assertTrue(recorder.text.isEmpty(), () -> "no text beside the call: " + recorder.text);
        assertTrue(result.usage().inputTokens() > 0 && result.usage().outputTokens() > 0,
                () -> "usage at the end: " + result.usage());

        ChatResult answer = chat.chat(ChatCall.builder(model).message(SYSTEM).message(Message.user(userText(asked)))
                .message(Message.assistantToolCalls(null, List.of(call)))
                .message(Message.tool(call.id(), toolResult(asked))).tool(LOG_WORKOUT).build());

        assertEquals(lastAssistantText(asked), answer.content(), "after the tool result, as the example goes on");
        assertTrue(answer.toolCalls().isEmpty(), () -> "not the same call again: " + answer.toolCalls());
        assertEquals("stop", answer.finishReason());
    }

    @Test
    void aStreamCutBeforeItsFinishReason_isATransportException_neverAFinishedAnswer() {
        require(Capability.CHAT, "chat");
        ChatService chat = provider().chat().orElseThrow();
        ChatCall call = ChatCall.builder(baseModel()).message(Message.user("What is a good warm up before squats?"))
                .build();
        cutNextChatStream(2);
        Recorder cut = new Recorder();

        assertThrows(TransportException.class, () -> chat.chatStream(call, cut));

        assertTrue(cut.completed.isEmpty(), "a cut stream never completes");
        Recorder whole = new Recorder();
        chat.chatStream(call, whole);
        assertEquals("stop", whole.completion().finishReason(), "the next stream is whole");
        assertTrue(whole.completion().content().startsWith(cut.text.toString()),
                "what arrived before the cut was the start of the answer");
    }

    @Test
    void theDescriptor_declaresEveryEnvironmentVariableTheFactoryReads_andTheFactoryReadsEveryDeclaredOne() {
        Map<String, String> environment = emulator().environment();
        Set<String> declared = new TreeSet<>(descriptor().environmentVariables());
        assertTrue(declared.containsAll(environment.keySet()), () -> "the emulator sets " + environment.keySet()
                + "; the descriptor declares " + declared);
        Set<String> read = ConcurrentHashMap.newKeySet();
        ProviderConfig config = config(name -> {
            read.add(name);
            return environment.get(name);
        });

        Provider provider = factory().create(config);
        opened.add(provider);
        if (capable(Capability.CHAT)) {
            // the base URL and key variables are honoured: the call reaches the emulator
            ChatResult answer = provider.chat().orElseThrow().chat(ChatCall.builder(baseModel())
                    .message(Message.user("Hello")).build());
            assertFalse(answer.content().isEmpty());
        }

        Set<String> undeclared = new TreeSet<>(read);
        undeclared.removeAll(declared);
        assertTrue(undeclared.isEmpty(), () -> "the factory reads " + undeclared + ", which no setting declares");
        Set<String> unread = new TreeSet<>();
        for (ProviderSetting s : descriptor().settings()) {
            if (s.environmentVariable().isPresent() && !setInCode(config, s) && !read.contains(s.environmentVariable()
                    .get())) {
                unread.add(s.environmentVariable().get());
            }
        }
        assertTrue(unread.isEmpty(), () -> "the descriptor declares " + unread + ", which the factory never reads");
    }

    @Test
    void aRequiredSettingThatIsMissing_isRefusedNamingItsVariable() {
        Map<String, String> environment = emulator().environment();
        List<ProviderSetting> required = descriptor().settings().stream()
                .filter(s -> s.required() && s.environmentVariable().isPresent()).toList();
        assumeTrue(!required.isEmpty(), "the descriptor declares no required setting read from a variable");

        for (ProviderSetting s : required) {
            String variable = s.environmentVariable().orElseThrow();
            Map<String, String> without = new LinkedHashMap<>(environment);
            without.remove(variable);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> factory().create(config(without::get)), () -> "created without " + variable);
            assertTrue(String.valueOf(e.getMessage()).contains(variable),
                    () -> "the refusal names " + variable + ": " + e.getMessage());
        }
    }

    @Test
    void aNumberOrBooleanSettingThatIsNotOne_isRefusedNamingTheSetting() {
        Map<String, String> environment = emulator().environment();
        List<ProviderSetting> typed = descriptor().settings().stream()
                .filter(s -> s.type() == ProviderSetting.Type.NUMBER || s.type() == ProviderSetting.Type.BOOLEAN)
                .toList();
        assumeTrue(!typed.isEmpty(), "the descriptor declares no number or boolean setting");

        for (ProviderSetting s : typed) {
            ProviderConfig config = configure(ProviderConfig.builder()).env(environment::get)
                    .setting(s.name(), "not-a-" + s.type().name().toLowerCase(java.util.Locale.ROOT)).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> factory().create(config),
                    () -> "created with " + s.name() + " = " + config.setting(s.name()).orElseThrow());
            assertTrue(String.valueOf(e.getMessage()).contains(s.name()),
                    () -> "the refusal names " + s.name() + ": " + e.getMessage());
        }
    }

    @AfterEach
    void closeWhatWasOpened() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    // ---------------------------------------------------------------- helpers

    private ProviderFactory factory() {
        ProviderFactory factory = Providers.factories().get(emulator().providerId());
        if (factory == null) {
            fail("no ProviderFactory for '" + emulator().providerId() + "' is registered in META-INF/services; found "
                    + Providers.factories().keySet());
        }
        return factory;
    }

    /** The provider's descriptor, as its factory gives it. */
    protected final ProviderDescriptor descriptor() {
        return factory().descriptor();
    }

    private boolean capable(Capability capability) {
        return descriptor().capabilities().has(capability);
    }

    private void require(Capability capability, String what) {
        assumeTrue(capable(capability), () -> descriptor().displayName() + " cannot " + what + ": its descriptor does "
                + "not declare " + capability);
    }

    private ProviderConfig config(Function<String, String> env) {
        return configure(ProviderConfig.builder()).env(env).sleeper(d -> { }).build();
    }

    private static boolean setInCode(ProviderConfig config, ProviderSetting s) {
        return switch (s.name()) {
            case ProviderSetting.API_KEY -> config.apiKey().isPresent();
            case ProviderSetting.ENDPOINT -> config.endpoint().isPresent();
            default -> config.setting(s.name()).isPresent();
        };
    }

    /** The provider, created by its id from the emulator's environment; closed after the case. */
    private Provider provider() {
        Map<String, String> environment = emulator().environment();
        Provider provider = Providers.create(emulator().providerId(), config(environment::get));
        opened.add(provider);
        return provider;
    }

    private TrainingService training() {
        return provider().training().orElseThrow();
    }

    private FineTuning fineTuning() {
        FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider())
                .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 5))).build();
        opened.add(ft);
        ft.createAssistant(ASSISTANT, descriptor().id(), baseModel());
        return ft;
    }

    /**
     * Activates a trained version; first, when the descriptor says trained models need a deployment,
     * the provider deploys ({@link Capability#DEPLOY}) and serves the model at no standing address,
     * deploys it through {@code ft.deployments()} with the default spec and waits until it is ready.
     */
    private void activate(FineTuning ft, int modelVersion) {
        Provider provider = provider();
        String model = ft.assistant(ASSISTANT).modelVersion(modelVersion).orElseThrow().providerModelId();
        boolean standing = provider.deployments().flatMap(d -> d.standingAddress(model)).isPresent();
        if (descriptor().trainedModelsNeedDeployment() && capable(Capability.DEPLOY)
                && provider.deployments().isPresent() && !standing) {
            Deployment deployment = ft.deployments().deploy(ASSISTANT, modelVersion, DeploymentSpec.defaults(),
                    Change.SYSTEM);
            deployment.awaitReady(Duration.ofMinutes(30));
            assertEquals(DeploymentState.READY, deployment.state(), () -> "the deployment is ready: " + deployment);
        }
        ft.assistant(ASSISTANT).activate(modelVersion, Change.SYSTEM);
    }

    private ChatRouter router(FineTuning ft) {
        ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults());
        opened.add(router);
        return router;
    }

    /**
     * Appends the cases' dataset (workout notes parsed into JSON, and, when the provider trains tool
     * calls, workouts logged with a tool) unless it is there, and returns the training split's
     * examples: with tool calls ({@code true}), without ({@code false}) or all ({@code null}).
     */
    private List<Example> trainingExamples(FineTuning ft, Boolean withTools) {
        Dataset dataset = ft.dataset(ASSISTANT, DATASET);
        if (dataset.latest().isEmpty()) {
            int count = Math.max(30, descriptor().dataRules().minimumExamples(baseModel()).map(MinimumExamples::hard)
                    .orElse(0));
            List<Example> examples = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int kg = 60 + i;
                int reps = i % 10 + 1;
                examples.add(Example.of(SYSTEM, Message.user("squat " + kg + " kilos for " + reps),
                        Message.assistant("{\"exercise\":\"squat\",\"kg\":" + kg + ",\"reps\":" + reps + "}")));
            }
            if (capable(Capability.TOOLS)) {
                for (int i = 0; i < EXERCISES.size(); i++) {
                    examples.add(toolExample(EXERCISES.get(i), "logwork0" + (i + 1)));
                }
            }
            dataset.append(examples, "the provider contract's data");
        }
        try (Stream<Example> train = dataset.examples(dataset.latest().orElseThrow(), Split.TRAIN)) {
            List<Example> out = train.filter(e -> withTools == null || withTools == hasToolCalls(e)).toList();
            assertFalse(out.isEmpty(), "the training split has no example " + (Boolean.TRUE.equals(withTools)
                    ? "with" : "without") + " tool calls");
            return out;
        }
    }

    /** A workout logged with the tool: the question, the call, its result, the answer after it. */
    private static Example toolExample(String exercise, String callId) {
        return Example.builder()
                .message(SYSTEM)
                .message(Message.user("Please log my " + exercise + " workout"))
                .message(Message.assistantToolCalls(null, List.of(new ToolCall(callId, LOG_WORKOUT.name(),
                        "{\"exercise\":\"" + exercise + "\"}"))))
                .message(Message.tool(callId, "{\"logged\":\"" + exercise + "\"}"))
                .message(Message.assistant("Logged your " + exercise + " workout."))
                .tool(LOG_WORKOUT)
                .build();
    }

    private static boolean hasToolCalls(Example e) {
        return e.messages().stream().anyMatch(m -> !m.toolCalls().isEmpty());
    }

    private static String userText(Example e) {
        return e.messages().stream().filter(m -> m.role() == Role.USER).reduce((a, b) -> b).orElseThrow()
                .content().orElseThrow();
    }

    private static String lastAssistantText(Example e) {
        return e.messages().get(e.messages().size() - 1).content().orElseThrow();
    }

    private static String toolResult(Example e) {
        return e.messages().stream().filter(m -> m.role() == Role.TOOL).findFirst().orElseThrow().content()
                .orElseThrow();
    }

    /** Submits the cases' dataset and waits until the job has ended; it must succeed. */
    private FineTuneJob train(FineTuning ft) {
        trainingExamples(ft, null);
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder(ASSISTANT, DATASET).build())
                .awaitCompletion(Duration.ofHours(3));
        assertEquals(JobStatus.SUCCEEDED, job.status(), () -> "the job ended " + job.rawStatus() + ": " + job.error());
        assertTrue(job.modelVersion().isPresent(), "the job registered a model version");
        return job;
    }

    /** Records a stream: text, tool-call pieces, completions, in order. */
    private static final class Recorder implements ChatStreamListener {
        final StringBuilder text = new StringBuilder();
        final List<ToolCallDelta> deltas = new ArrayList<>();
        final List<ChatResult> completed = new ArrayList<>();

        @Override
        public void onText(String piece) {
            assertTrue(completed.isEmpty(), "a piece after the end");
            text.append(piece);
        }

        @Override
        public void onToolCallDelta(ToolCallDelta delta) {
            assertTrue(completed.isEmpty(), "a piece after the end");
            deltas.add(delta);
        }

        @Override
        public void onComplete(ChatResult result) {
            completed.add(result);
        }

        ChatResult completion() {
            assertEquals(1, completed.size(), "the stream completed once");
            ChatResult result = completed.get(0);
            assertEquals(text.toString(), result.content() == null ? "" : result.content(),
                    "the text pieces make the whole text");
            return result;
        }
    }
}
