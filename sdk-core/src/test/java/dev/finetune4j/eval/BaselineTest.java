package dev.finetune4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.CorruptDataException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.Tenant;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersionSpec;
import dev.finetune4j.assistant.TrainedOn;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.StubProvider;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BaselineTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String SOURCE = "ft:gpt-4o-mini-2024-07-18:acme:parser:src12345";
    static final String TARGET = "ft:gpt-4o-mini-2024-07-18:acme:parser:tgt12345";
    static final String EQUAL = "ft:gpt-4o-mini-2024-07-18:acme:parser:eq123456";

    /** The source model knows every answer; the target drops reps; models in {@code gone} answer 404. */
    static final class Models extends StubProvider {
        final Map<String, String> answers = new ConcurrentHashMap<>();
        final Set<String> gone = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        Models() {
            super("openai");
        }

        @Override
        public ChatResult chat(ChatCall call) {
            calls.computeIfAbsent(call.model(), k -> new AtomicInteger()).incrementAndGet();
            if (gone.contains(call.model())) {
                throw new NotFoundException("The model '" + call.model() + "' does not exist",
                        ProviderError.builder("openai", 404)
                                .errorCode("model_not_found").requestId("req-1").rawBody("{}").build());
            }
            String input = call.messages().get(call.messages().size() - 1).content().orElse("");
            String right = answers.getOrDefault(input, "{}");
            String answer = call.model().equals(TARGET) ? right.replaceAll("\"reps\":\\d+", "\"reps\":0") : right;
            return new ChatResult(answer, List.of(), "stop", new Usage(20, 10), call.model(), "");
        }

        int calls(String model) {
            AtomicInteger n = calls.get(model);
            return n == null ? 0 : n.get();
        }
    }

    private final Models models = new Models();
    private final VersionStore store = VersionStores.inMemory();
    private FineTuning ft;
    private Assistant parser;
    private DatasetVersion trainedOn;

    @BeforeEach
    void setUp() {
        ft = FineTuning.builder().store(store).provider(models)
                .clock(Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC)).build();
        parser = ft.createAssistant("parser", "openai", BASE);
        List<Example> examples = IntStream.range(0, 200).mapToObj(i -> {
            String input = "squat " + (60 + i) + " for " + (i % 10 + 1);
            String answer = "{\"exercise\":\"Squat\",\"weight\":" + (60 + i) + ",\"reps\":" + (i % 10 + 1) + "}";
            models.answers.put(input, answer);
            return Example.of(Message.system("Parse workout commands."), Message.user(input), Message.assistant(answer));
        }).toList();
        trainedOn = ft.dataset("parser/main").append(examples, null).version().orElseThrow();
        parser.register(ModelVersionSpec.builder("openai", SOURCE, BASE)
                .trainedOn(new TrainedOn("parser/main", trainedOn.id(), trainedOn.number(), 180, 0.1)).build());
        parser.importModel("openai", TARGET, BASE, null);
        parser.importModel("openai", EQUAL, BASE, null);
        // a later dataset version must not be what the baseline asks by default
        ft.dataset("parser/main").append(List.of(Example.of(Message.user("row 50 for 8"),
                Message.assistant("{\"exercise\":\"Row\",\"weight\":50,\"reps\":8}"))), null);
    }

    private long validationSize(DatasetVersion v) {
        try (Stream<Example> s = ft.dataset("parser/main").examples(v, Split.VALIDATION)) {
            return s.count();
        }
    }

    @Test
    void recordBaseline_asksTheValidationSplitOfTheDatasetVersionTheModelWasTrainedOn_andStoresEveryAnswer() {
        Baseline b = ft.evaluator().recordBaseline(BaselineSpec.builder("parser", 1).build());

        assertThat(b.evaluationSet()).isEqualTo("parser/main@1 validation");
        assertThat(b.items()).hasSize((int) validationSize(trainedOn)).isNotEmpty();
        assertThat(models.calls(SOURCE)).isEqualTo(b.items().size());
        assertThat(b.providerModelId()).isEqualTo(SOURCE);
        assertThat(b.provider()).isEqualTo("openai");
        assertThat(b.modelVersion()).isEqualTo(1);
        assertThat(b.parameters()).containsEntry("temperature", "0");
        assertThat(b.startedAt()).isEqualTo(Instant.parse("2026-12-05T10:00:00Z"));
        assertThat(b.id()).startsWith("bl-v1-20261205-");
        assertThat(b.items()).allSatisfy(i -> {
            assertThat(i.failed()).isFalse();
            assertThat(i.answer()).isEqualTo(i.expected());
            assertThat(i.conversation()).hasSize(2);
        });

        Baseline read = ft.evaluator().baseline("parser", b.id());
        assertThat(read).isEqualTo(b);
        assertThat(ft.evaluator().baselines("parser")).containsExactly(b);
    }

    @Test
    void baselineTarget_comparesWithTheRecordedAnswers_afterTheSourceModelIsGone() {
        Baseline b = ft.evaluator().recordBaseline(BaselineSpec.builder("parser", 1).build());
        models.gone.add(SOURCE);
        parser.delete(1, Change.by("ops", "openai shut it down"));
        int sourceCalls = models.calls(SOURCE);

        EvalReport report = ft.evaluator().evaluate(EvalSpec.builder("parser").examples(b.examples())
                .scorer(Scorers.jsonFields(0.01)).target(EvalTarget.version(2)).target(b.target()).build());

        assertThat(models.calls(SOURCE)).isEqualTo(sourceCalls);
        TargetSummary recorded = report.summary(b.target(), "json-fields");
        assertThat(recorded.mean()).isEqualTo(1.0);
        assertThat(recorded.failedCalls()).isZero();
        Comparison c = report.compare(EvalTarget.version(2), b.target(), "json-fields");
        assertThat(c.fieldDifferences().get("reps")).isEqualTo(-1.0);
        assertThat(c.baselineMean()).isEqualTo(1.0);
        assertThat(report.answer(b.target(), 0)).isEqualTo(b.items().get(0).answer());
        assertThat(ft.evaluator().history("parser")).hasSize(1)
                .allSatisfy(s -> assertThat(s).contains("\"baseline\":\"" + b.id() + "\""));
    }

    @Test
    void baselineTarget_onAnotherEvaluationSet_isRefusedNamingTheMissingConversations() {
        Baseline b = ft.evaluator().recordBaseline(BaselineSpec.builder("parser", 1).maxExamples(5).build());

        assertThatThrownBy(() -> ft.evaluator().evaluate(EvalSpec.builder("parser").dataset("main")
                .scorer(Scorers.exactMatch()).target(b.target()).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baseline " + b.id() + " recorded parser/main@1 validation")
                .hasMessageContaining("Baseline.examples()");
    }

    @Test
    void recordBaseline_onPromptsOfRealTraffic_keepsTheAnswerAsTheReference() {
        Baseline b = ft.evaluator().recordBaseline(BaselineSpec.builder("parser", 1).prompts(List.of(
                Example.of(Message.user("squat 61 for 2")), Example.of(Message.user("squat 62 for 3")))).build());

        assertThat(b.evaluationSet()).isEqualTo("2 given prompts");
        assertThat(b.items()).extracting(Baseline.Item::hasExpected).containsExactly(false, false);
        assertThat(b.examples().get(0).messages().get(1).content()).hasValue(models.answers.get("squat 61 for 2"));

        EvalReport agreement = ft.evaluator().evaluate(EvalSpec.builder("parser").examples(b.examples())
                .scorer(Scorers.jsonFields(0.01)).target(EvalTarget.version(2)).build());
        assertThat(agreement.summary(EvalTarget.version(2), "json-fields").fields().get("reps").accuracy()).isZero();
        assertThat(agreement.summary(EvalTarget.version(2), "json-fields").fields().get("weight").accuracy())
                .isEqualTo(1.0);
    }

    @Test
    void recordBaseline_ofAnImportedVersionWithoutASet_isRefusedSayingWhatToName() {
        assertThatThrownBy(() -> ft.evaluator().recordBaseline(BaselineSpec.builder("parser", 2).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model version 2 of 'parser' has no training data on record")
                .hasMessageContaining("name a dataset or give prompts");
        assertThat(models.calls(TARGET)).isZero();
    }

    @Test
    void baseline_whoseStoredRecordIsDamaged_isReportedCorrupt_neverHalfRead() {
        Baseline b = ft.evaluator().recordBaseline(BaselineSpec.builder("parser", 1).maxExamples(3).build());
        StoreKey key = new StoreKey(Tenant.DEFAULT, "baselines", "parser/" + b.id());
        Revision r = store.latest(key).orElseThrow();
        store.write(key, r.value().replace("\"role\":\"assistant\"", "\"role\":\"robot\""), r.number());

        assertThatThrownBy(() -> ft.evaluator().baseline("parser", b.id()))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("baseline record")
                .hasMessageContaining("is corrupt");
        assertThatThrownBy(() -> ft.evaluator().baseline("parser", "bl-nope"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("has no baseline 'bl-nope'; it has [" + b.id() + "]");
    }

    private EvalSpec onBaseline(Baseline b) {
        return EvalSpec.builder("parser").examples(b.examples()).scorer(Scorers.jsonFields(0.01))
                .target(b.target()).build();
    }

    @Test
    void promoteIfNotWorse_activatesAReplacementAsGoodAsTheGoneModel_withTheFiguresInTheTimeline() {
        Baseline b = ft.evaluator().recordBaseline(BaselineSpec.builder("parser", 1).build());
        parser.activate(1, Change.by("ops", "live"));
        models.gone.add(SOURCE);

        PromotionDecision d = ft.evaluator().promoteIfNotWorse(onBaseline(b), 3, b.target(),
                NonInferiorityRule.of("json-fields"), Change.by("ops", "migration"));

        assertThat(d.promoted()).isTrue();
        assertThat(d.selection().activeModelVersion()).hasValue(3);
        assertThat(d.reason()).startsWith("migration | promoted, not worse: eval-")
                .contains("json-fields v3 100.00 % vs " + b.id() + " 100.00 % (+0.00 points, 95 % CI [0.00, 0.00], "
                        + "margin 2.00), agreement 100.00 %");
        try (Stream<dev.finetune4j.assistant.TimelineEntry> t = parser.timeline()) {
            assertThat(t.reduce((x, y) -> y).orElseThrow().reason()).isEqualTo(d.reason());
        }
    }

    @Test
    void checkNotWorse_refusesATargetWorseByMoreThanTheMargin_withTheFigures() {
        Baseline b = ft.evaluator().recordBaseline(BaselineSpec.builder("parser", 1).build());
        parser.activate(1, Change.by("ops", "live"));

        PromotionDecision d = ft.evaluator().promoteIfNotWorse(onBaseline(b), 2, b.target(),
                NonInferiorityRule.of("json-fields"), Change.by("ops", "migration"));

        assertThat(d.promoted()).isFalse();
        assertThat(d.selection().activeModelVersion()).hasValue(1);
        assertThat(d.reason()).startsWith("refused: v2 may be worse than " + b.id() + " by more than 2.00 points: "
                + "the 95 % interval's low end is ")
                .contains("field reps is 100.00 points worse (margin 2.00)")
                .contains("json-fields v2 66.67 % vs " + b.id() + " 100.00 % (-33.33 points")
                .contains("agreement 0.00 %");
    }

    @Test
    void checkNotWorse_appliesEachFieldsOwnMargin_andTheAgreementFloor() {
        Baseline b = ft.evaluator().recordBaseline(BaselineSpec.builder("parser", 1).build());
        NonInferiorityRule lenientOnReps = NonInferiorityRule.of("json-fields").withMargin(0.5)
                .withFieldMargin("reps", 1.0);

        GateVerdict v = ft.evaluator().checkNotWorse(onBaseline(b), 2, b.target(), lenientOnReps);
        assertThat(v.passed()).as(v.reason()).isTrue();
        assertThat(v.problems()).isEmpty();
        assertThat(v.agreement()).isZero();

        GateVerdict withFloor = ft.evaluator().checkNotWorse(onBaseline(b), 2, b.target(),
                lenientOnReps.withMinAgreement(0.9));
        assertThat(withFloor.passed()).isFalse();
        assertThat(withFloor.problems()).containsExactly("agreement with " + b.id() + " is 0.00 %, below 90.00 %");
        assertThat(parser.selection().activeModelVersion()).isEmpty();
    }
}
