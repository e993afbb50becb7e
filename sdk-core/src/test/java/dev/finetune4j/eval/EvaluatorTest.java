package dev.finetune4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.TimelineEntry;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.StubProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String GOOD = "ft:gpt-4o-mini-2024-07-18:acme:parser:good1234";
    static final String BAD = "ft:gpt-4o-mini-2024-07-18:acme:parser:bad12345";

    /** The good model knows the answers; the base model gets reps wrong; the bad one breaks JSON. */
    static final class ParserProvider extends StubProvider {
        final Map<String, String> answers = new ConcurrentHashMap<>();

        ParserProvider() {
            super("openai");
        }

        @Override
        public ChatResult chat(ChatCall call) {
            String input = call.messages().get(call.messages().size() - 1).content().orElse("");
            String right = answers.getOrDefault(input, "{}");
            String answer = switch (call.model()) {
                case GOOD -> right;
                case BAD -> input.hashCode() % 3 == 0 ? "sorry?" : right;
                default -> right.replaceAll("\"reps\":\\d+", "\"reps\":0");
            };
            return new ChatResult(answer, List.of(), "stop", new Usage(20, 10), call.model(), "");
        }
    }

    private final ParserProvider provider = new ParserProvider();
    private FineTuning ft;
    private Assistant parser;

    @BeforeEach
    void setUp() {
        ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider).build();
        parser = ft.createAssistant("parser", "openai", BASE);
        parser.importModel("openai", GOOD, BASE, null);
        parser.importModel("openai", BAD, BASE, null);
        List<Example> examples = IntStream.range(0, 300).mapToObj(i -> {
            String input = "bench press " + (100 + i) + " for " + (i % 12 + 1);
            String answer = "{\"exercise\":\"Bench Press\",\"weight\":" + (100 + i) + ",\"reps\":" + (i % 12 + 1) + "}";
            provider.answers.put(input, answer);
            return Example.of(Message.system("Parse workout commands."), Message.user(input), Message.assistant(answer));
        }).toList();
        ft.dataset("parser/main").append(examples, null);
    }

    private EvalSpec.Builder spec() {
        return EvalSpec.builder("parser").dataset("main").scorer(Scorers.jsonFields(0.01)).scorer(Scorers.exactMatch());
    }

    @Test
    void evaluate_trainedVersionBeatsTheBaseModel_onJsonFieldAccuracy() {
        EvalReport report = ft.evaluator().evaluate(spec().target(EvalTarget.version(1))
                .target(EvalTarget.baseModel()).build());

        long validation;
        try (Stream<Example> v = ft.dataset("parser/main").examples(ft.dataset("parser/main").version("latest"),
                Split.VALIDATION)) {
            validation = v.count();
        }
        assertThat(report.items()).hasSize((int) validation);
        TargetSummary v1 = report.summary(EvalTarget.version(1), "json-fields");
        TargetSummary base = report.summary(EvalTarget.baseModel(), "json-fields");
        assertThat(v1.mean()).isEqualTo(1.0);
        assertThat(v1.fields().get("reps").accuracy()).isEqualTo(1.0);
        assertThat(base.fields().get("reps").accuracy()).isZero();
        assertThat(base.fields().get("weight").accuracy()).isEqualTo(1.0);
        assertThat(base.mean()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));

        Comparison c = report.compare(EvalTarget.version(1), EvalTarget.baseModel(), "exact");
        assertThat(c.wrongToRight()).isEqualTo((int) validation);
        assertThat(c.significantlyBetter()).isTrue();
        assertThat(c.pValue()).isLessThan(0.01);
        assertThat(c.fieldDifferences()).isEmpty();
        assertThat(report.toText()).contains("v1       json-fields  mean 100.00 %").contains("reps");
        assertThat(ft.evaluator().history("parser")).hasSize(1).allSatisfy(s -> assertThat(s)
                .contains("\"label\":\"v1\"").contains("\"json-fields\":{\"mean\":1.0"));
    }

    @Test
    void compare_namesTheExamplesThatWentFromRightToWrong() {
        EvalReport report = ft.evaluator().evaluate(spec().target(EvalTarget.version(1))
                .target(EvalTarget.version(2)).build());

        Comparison c = report.compare(EvalTarget.version(2), EvalTarget.version(1), "json-fields");

        assertThat(c.rightToWrong()).isPositive();
        assertThat(c.regressions()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.candidateAnswer()).isEqualTo("sorry?");
            assertThat(r.baselineAnswer()).isEqualTo(r.expected());
        });
        assertThat(c.ciHigh()).isLessThan(0);
        assertThat(report.summary(EvalTarget.version(2), "json-fields").unparseable()).isEqualTo(c.rightToWrong());
    }

    @Test
    void promoteIfBetter_activatesOnlyWhenTheRuleHolds_andRecordsTheFigures() {
        PromotionRule rule = PromotionRule.betterWithoutFieldRegression("json-fields");

        PromotionDecision worse = ft.evaluator().promoteIfBetter(spec().target(EvalTarget.baseModel()).build(), 2,
                EvalTarget.baseModel(), rule, Change.by("alice", "try v2"));
        assertThat(worse.promoted()).isFalse();
        assertThat(worse.reason()).startsWith("not promoted:").contains("field ");
        assertThat(parser.selection().activeModelVersion()).isEmpty();

        PromotionDecision better = ft.evaluator().promoteIfBetter(spec().target(EvalTarget.baseModel()).build(), 1,
                EvalTarget.baseModel(), rule, Change.by("alice", "v1 looks good"));

        assertThat(better.promoted()).isTrue();
        assertThat(better.selection().activeModelVersion()).hasValue(1);
        try (Stream<TimelineEntry> t = parser.timeline()) {
            TimelineEntry last = t.reduce((a, b) -> b).orElseThrow();
            assertThat(last.actor()).isEqualTo("alice");
            assertThat(last.reason()).startsWith("v1 looks good | promoted: eval-").contains("json-fields v1 100.00 %");
        }
    }
}
