package dev.finetune4j.internal.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TrainedOn;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.eval.Baseline;
import dev.finetune4j.eval.BaselineSpec;
import dev.finetune4j.eval.Comparison;
import dev.finetune4j.eval.EvalReport;
import dev.finetune4j.eval.EvalSpec;
import dev.finetune4j.eval.EvalTarget;
import dev.finetune4j.eval.Evaluator;
import dev.finetune4j.eval.GateVerdict;
import dev.finetune4j.eval.NonInferiorityRule;
import dev.finetune4j.eval.PromotionDecision;
import dev.finetune4j.eval.PromotionRule;
import dev.finetune4j.eval.Score;
import dev.finetune4j.eval.Scorer;
import dev.finetune4j.eval.TargetSummary;
import dev.finetune4j.internal.FineTuningContext;
import dev.finetune4j.internal.chat.DefaultChatRouter;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The {@link Evaluator}: pinned router calls on a bounded pool, scored and summarised. Holds nothing
 * open between evaluations: each one opens its own router (registered with the context, so closing
 * the {@code FineTuning} stops it) and closes it when it returns.
 */
public final class DefaultEvaluator implements Evaluator {

    static final String EVALUATIONS = "evaluations";

    /** Evaluation calls must score a failing version as failed, not be answered by the base model. */
    private static final ChatRouter.Options ROUTER_OPTIONS = ChatRouter.Options.defaults().withFallback(false);

    private final FineTuningContext ft;
    private final BaselineRecords baselines;

    /** An evaluator over the context's assistants, datasets and store. */
    public DefaultEvaluator(FineTuningContext context) {
        this.ft = Objects.requireNonNull(context, "context");
        this.baselines = new BaselineRecords(context.store(), context.tenant());
    }

    /** One example split into the conversation sent and the answer expected. */
    private record Case(List<Message> conversation, String input, String expected) {}

    private static Case toCase(Example e) {
        List<Message> messages = e.messages();
        int last = -1;
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.ASSISTANT && messages.get(i).content().isPresent()) {
                last = i;
                break;
            }
        }
        if (last <= 0) {
            return null;
        }
        List<Message> conversation = messages.subList(0, last);
        return new Case(List.copyOf(conversation), lastUserText(conversation), messages.get(last).content().get());
    }

    private static String lastUserText(List<Message> conversation) {
        String input = "";
        for (Message m : conversation) {
            if (m.role() == Role.USER) {
                input = m.content().orElse("");
            }
        }
        return input;
    }

    /** A prompt of real traffic: ends with the user's turn (no expected answer) or with an expected answer. */
    private static Case toPrompt(Example e) {
        List<Message> messages = e.messages();
        Message last = messages.get(messages.size() - 1);
        if (last.role() == Role.ASSISTANT) {
            return toCase(e);
        }
        return new Case(List.copyOf(messages), lastUserText(messages), "");
    }

    @Override
    public EvalReport evaluate(EvalSpec spec) {
        Objects.requireNonNull(spec, "spec");
        try (ChatRouter router = new DefaultChatRouter(ft, ROUTER_OPTIONS)) {
            return evaluate(spec, router);
        }
    }

    private EvalReport evaluate(EvalSpec spec, ChatRouter router) {
        Assistant assistant = ft.assistant(spec.assistant());
        List<Case> cases = new ArrayList<>();
        String set;
        if (spec.dataset().isPresent()) {
            Dataset dataset = ft.dataset(spec.assistant(), spec.dataset().get());
            DatasetVersion version = dataset.version(spec.datasetVersion());
            set = version.datasetRef() + "@" + version.number() + " " + spec.split().name().toLowerCase(Locale.ROOT);
            try (Stream<Example> examples = dataset.examples(version, spec.split())) {
                examples.map(DefaultEvaluator::toCase).filter(Objects::nonNull).limit(spec.maxExamples())
                        .forEach(cases::add);
            }
        } else {
            set = spec.examples().size() + " given examples";
            spec.examples().stream().map(DefaultEvaluator::toCase).filter(Objects::nonNull).limit(spec.maxExamples())
                    .forEach(cases::add);
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("the evaluation set " + set + " has no example with an assistant "
                    + "answer to compare with; hold out a validation split or give examples");
        }
        Selection selection = assistant.selection();
        List<EvalTarget> targets = spec.targets();
        List<Scorer> scorers = spec.scorers();
        int t = targets.size();
        int n = cases.size();
        Score[][][] scores = new Score[t][n][scorers.size()];
        String[][] answers = new String[t][n];
        boolean[][] failed = new boolean[t][n];
        for (int ti = 0; ti < t; ti++) {
            EvalTarget target = targets.get(ti);
            Answers a = target.baselineId().isPresent()
                    ? recorded(spec.assistant(), target.baselineId().get(), cases, set)
                    : ask(router, spec.assistant(), target, cases, spec.concurrency(),
                            target.promptVersion() > 0 || selection.activePromptVersion().isPresent());
            answers[ti] = a.answers();
            failed[ti] = a.failed();
            for (int e = 0; e < n; e++) {
                for (int s = 0; s < scorers.size(); s++) {
                    scores[ti][e][s] = a.failed()[e] ? failedScore(scorers.get(s), cases.get(e).expected())
                            : scorers.get(s).score(cases.get(e).expected(), a.answers()[e]);
                }
            }
        }
        List<EvalReport.Item> items = cases.stream().map(c -> new EvalReport.Item(c.input(), c.expected())).toList();
        EvalReport report = new EvalReport("eval-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), spec.assistant(),
                set, ft.clock().instant(), targets, scorers.stream().map(Scorer::name).toList(), items, scores,
                answers, failed);
        store(report);
        return report;
    }

    /** One target's answers to every case, in order, and which calls failed. */
    private record Answers(String[] answers, boolean[] failed) {}

    /** Asks a live target every case on a bounded pool; a failing call is noted, never retried elsewhere. */
    private static Answers ask(ChatRouter router, String assistant, EvalTarget target, List<Case> cases,
            int concurrency, boolean promptApplies) {
        int n = cases.size();
        String[] answers = new String[n];
        boolean[] failed = new boolean[n];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread th = new Thread(r, "finetune4j-eval");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int e = 0; e < n; e++) {
                int eIndex = e;
                Case c = cases.get(e);
                futures.add(pool.submit(() -> {
                    try {
                        answers[eIndex] = router.chat(request(assistant, target, c, promptApplies)).content();
                    } catch (FineTuneException ex) {
                        answers[eIndex] = "";
                        failed[eIndex] = true;
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new FineTuneException("evaluation interrupted", ex);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new FineTuneException("evaluation failed: " + ex.getCause(), ex.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Answers(answers, failed);
    }

    /**
     * A baseline's recorded answers to every case, matched by conversation.
     *
     * @throws IllegalArgumentException when the baseline did not record one of the conversations
     */
    private Answers recorded(String assistant, String baselineId, List<Case> cases, String set) {
        Baseline baseline = baselines.read(assistant, baselineId);
        Map<String, Baseline.Item> byConversation = new HashMap<>();
        for (Baseline.Item item : baseline.items()) {
            byConversation.putIfAbsent(key(item.conversation()), item);
        }
        int n = cases.size();
        String[] answers = new String[n];
        boolean[] failed = new boolean[n];
        int missing = 0;
        int firstMissing = -1;
        for (int e = 0; e < n; e++) {
            Baseline.Item item = byConversation.get(key(cases.get(e).conversation()));
            if (item == null) {
                missing++;
                firstMissing = firstMissing < 0 ? e : firstMissing;
                continue;
            }
            answers[e] = item.answer();
            failed[e] = item.failed();
        }
        if (missing > 0) {
            throw new IllegalArgumentException("baseline " + baselineId + " recorded " + baseline.evaluationSet()
                    + " and has no answer for " + missing + " of the " + n + " conversations of " + set
                    + " (the first is example " + firstMissing + "); evaluate on the baseline's own set, "
                    + "Baseline.examples()");
        }
        return new Answers(answers, failed);
    }

    private static String key(List<Message> conversation) {
        return ExampleCodec.toJson(dev.finetune4j.dataset.Example.builder().messages(conversation).build(), false);
    }

    @Override
    public Baseline recordBaseline(BaselineSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Assistant assistant = ft.assistant(spec.assistant());
        ModelVersion version = assistant.modelVersion(spec.modelVersion()).orElseThrow(() -> new NotFoundException(
                "assistant '" + spec.assistant() + "' has no model version " + spec.modelVersion()));
        if (version.state() != ModelState.READY) {
            throw new IllegalStateException("model version " + version.number() + " of '" + spec.assistant()
                    + "' is " + version.state() + "; a baseline records a READY version's answers");
        }
        List<Case> cases = new ArrayList<>();
        String set;
        if (!spec.prompts().isEmpty()) {
            set = spec.prompts().size() + " given prompts";
            spec.prompts().stream().map(DefaultEvaluator::toPrompt).filter(Objects::nonNull)
                    .limit(spec.maxExamples()).forEach(cases::add);
        } else {
            Dataset dataset;
            String datasetVersion;
            if (spec.dataset().isPresent()) {
                dataset = ft.dataset(spec.assistant(), spec.dataset().get());
                datasetVersion = spec.datasetVersion().orElse("latest");
            } else {
                TrainedOn trainedOn = version.trainedOn().orElseThrow(() -> new IllegalStateException(
                        "model version " + version.number() + " of '" + spec.assistant() + "' has no training data "
                                + "on record (it was imported); name a dataset or give prompts to record on"));
                dataset = ft.dataset(trainedOn.dataset());
                datasetVersion = spec.datasetVersion().orElse(Integer.toString(trainedOn.versionNumber()));
            }
            DatasetVersion dv = dataset.version(datasetVersion);
            set = dv.datasetRef() + "@" + dv.number() + " " + spec.split().name().toLowerCase(Locale.ROOT);
            try (Stream<Example> examples = dataset.examples(dv, spec.split())) {
                examples.map(DefaultEvaluator::toCase).filter(Objects::nonNull).limit(spec.maxExamples())
                        .forEach(cases::add);
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("the evaluation set " + set + " has no conversation to ask; hold out "
                    + "a validation split or give prompts ending with a user message");
        }
        Selection selection = assistant.selection();
        java.time.Instant started = ft.clock().instant();
        EvalTarget target = EvalTarget.version(version.number());
        Answers a;
        try (ChatRouter router = new DefaultChatRouter(ft, ROUTER_OPTIONS)) {
            a = ask(router, spec.assistant(), target, cases, spec.concurrency(),
                    selection.activePromptVersion().isPresent());
        }
        List<Baseline.Item> items = new ArrayList<>(cases.size());
        for (int e = 0; e < cases.size(); e++) {
            Case c = cases.get(e);
            items.add(new Baseline.Item(c.conversation(), c.expected(), a.answers()[e], a.failed()[e]));
        }
        java.time.Instant finished = ft.clock().instant();
        String id = "bl-v" + version.number() + "-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT).format(
                finished.atZone(java.time.ZoneOffset.UTC)) + "-" + UUID.randomUUID().toString().substring(0, 6);
        Baseline baseline = new Baseline(id, spec.assistant(), version.number(), version.provider(),
                version.providerModelId(), selection.activePromptVersion().orElse(0), set,
                Map.of("temperature", "0"), started, finished, items);
        baselines.write(baseline);
        return baseline;
    }

    @Override
    public Baseline baseline(String assistant, String id) {
        return baselines.read(Objects.requireNonNull(assistant, "assistant"), Objects.requireNonNull(id, "id"));
    }

    @Override
    public List<Baseline> baselines(String assistant) {
        return baselines.list(Objects.requireNonNull(assistant, "assistant"));
    }

    /** A failed call scores like an unreadable answer: 0, with every field wrong where fields apply. */
    private static Score failedScore(Scorer scorer, String expected) {
        Score asEmpty = scorer.score(expected, "");
        return new Score(0, asEmpty.fields().keySet().stream().collect(java.util.stream.Collectors.toMap(
                k -> k, k -> false)), false);
    }

    private static ChatRequest request(String assistant, EvalTarget target, Case c, boolean promptApplies) {
        ChatRequest.Builder b = ChatRequest.builder(assistant).temperature(0);
        for (Message m : c.conversation()) {
            if (!(promptApplies && m.role() == Role.SYSTEM)) {
                b.message(m);
            }
        }
        if (target.modelVersion() == 0) {
            b.pinBaseModel();
        } else {
            b.pinModelVersion(target.modelVersion());
        }
        if (target.promptVersion() > 0) {
            b.pinPromptVersion(target.promptVersion());
        }
        return b.build();
    }

    private void store(EvalReport report) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", report.id());
        n.put("assistant", report.assistant());
        n.put("created_at", report.createdAt().toString());
        n.put("evaluation_set", report.evaluationSet());
        n.put("examples", report.items().size());
        ArrayNode targets = n.putArray("targets");
        for (EvalTarget t : report.targets()) {
            ObjectNode tn = targets.addObject();
            tn.put("label", t.label());
            tn.put("model_version", t.modelVersion());
            tn.put("prompt_version", t.promptVersion());
            t.baselineId().ifPresent(id -> tn.put("baseline", id));
            ObjectNode scores = tn.putObject("scores");
            for (String scorer : report.scorers()) {
                TargetSummary s = report.summary(t, scorer);
                ObjectNode sn = scores.putObject(scorer);
                sn.put("mean", s.mean());
                sn.put("right", s.right());
                sn.put("unparseable", s.unparseable());
                sn.put("failed_calls", s.failedCalls());
                ObjectNode fields = sn.putObject("fields");
                s.fields().forEach((name, acc) -> fields.put(name, acc.accuracy()));
            }
        }
        ft.store().write(new StoreKey(ft.tenant(), EVALUATIONS, report.assistant() + "/" + report.id()), n.toString(), 0);
    }

    @Override
    public PromotionDecision promoteIfBetter(EvalSpec spec, int candidate, EvalTarget against, PromotionRule rule,
            Change change) {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(change, "change");
        EvalTarget cand = new EvalTarget(candidate, against.promptVersion());
        EvalReport report = evaluate(spec.withTargets(List.of(cand, against)));
        Comparison c = report.compare(cand, against, rule.scorer());
        List<String> problems = new ArrayList<>();
        if (!(c.difference() > 0 && c.difference() >= rule.minImprovement())) {
            problems.add(String.format(Locale.ROOT, "%s is not better by %.2f points: %.2f %% vs %.2f %%",
                    cand.label(), 100 * rule.minImprovement(), 100 * c.candidateMean(), 100 * c.baselineMean()));
        }
        for (Map.Entry<String, Double> f : c.fieldDifferences().entrySet()) {
            if (f.getValue() < -rule.maxFieldRegression()) {
                problems.add(String.format(Locale.ROOT, "field %s is %.2f points worse", f.getKey(), -100 * f.getValue()));
            }
        }
        if (rule.requireSignificance() && !c.significantlyBetter()) {
            problems.add(String.format(Locale.ROOT, "the 95 %% interval [%.2f, %.2f] points includes 0",
                    100 * c.ciLow(), 100 * c.ciHigh()));
        }
        String figures = String.format(Locale.ROOT, "%s on %s: %s %s %.2f %% vs %s %.2f %% (%+.2f points, "
                        + "95 %% CI [%.2f, %.2f], p=%.4f)", report.id(), report.evaluationSet(), rule.scorer(),
                cand.label(), 100 * c.candidateMean(), against.label(), 100 * c.baselineMean(), 100 * c.difference(),
                100 * c.ciLow(), 100 * c.ciHigh(), c.pValue());
        Assistant assistant = ft.assistant(spec.assistant());
        if (!problems.isEmpty()) {
            return new PromotionDecision(false, "not promoted: " + String.join("; ", problems) + " — " + figures,
                    report, c, assistant.selection());
        }
        String reason = (change.reason().isBlank() ? "" : change.reason() + " | ") + "promoted: " + figures;
        Selection after = assistant.activate(candidate, Change.by(change.actor(), reason));
        return new PromotionDecision(true, reason, report, c, after);
    }

    @Override
    public GateVerdict checkNotWorse(EvalSpec spec, int candidate, EvalTarget reference, NonInferiorityRule rule) {
        Objects.requireNonNull(rule, "rule");
        Scorer scorer = spec.scorers().stream().filter(s -> s.name().equals(rule.scorer())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the rule's scorer '" + rule.scorer()
                        + "' is not among the spec's scorers " + spec.scorers().stream().map(Scorer::name).toList()));
        EvalTarget cand = new EvalTarget(candidate, reference.promptVersion());
        EvalReport report = evaluate(spec.withTargets(List.of(cand, reference)));
        Comparison c = report.compare(cand, reference, rule.scorer());
        int n = report.items().size();
        int agreeing = 0;
        for (int e = 0; e < n; e++) {
            String ref = report.answer(reference, e);
            String got = report.answer(cand, e);
            if (!ref.isEmpty() && !got.isEmpty() && scorer.score(ref, got).right()) {
                agreeing++;
            }
        }
        double agreement = n == 0 ? 0 : (double) agreeing / n;
        List<String> problems = new ArrayList<>();
        if (c.ciLow() < -rule.margin()) {
            problems.add(String.format(Locale.ROOT, "%s may be worse than %s by more than %.2f points: the 95 %% "
                    + "interval's low end is %.2f points", cand.label(), reference.label(), 100 * rule.margin(),
                    100 * c.ciLow()));
        }
        for (Map.Entry<String, Double> f : c.fieldDifferences().entrySet()) {
            double margin = rule.marginOf(f.getKey());
            if (f.getValue() < -margin) {
                problems.add(String.format(Locale.ROOT, "field %s is %.2f points worse (margin %.2f)", f.getKey(),
                        -100 * f.getValue(), 100 * margin));
            }
        }
        if (agreement < rule.minAgreement()) {
            problems.add(String.format(Locale.ROOT, "agreement with %s is %.2f %%, below %.2f %%", reference.label(),
                    100 * agreement, 100 * rule.minAgreement()));
        }
        String figures = String.format(Locale.ROOT, "%s on %s: %s %s %.2f %% vs %s %.2f %% (%+.2f points, "
                        + "95 %% CI [%.2f, %.2f], margin %.2f), agreement %.2f %%", report.id(),
                report.evaluationSet(), rule.scorer(), cand.label(), 100 * c.candidateMean(), reference.label(),
                100 * c.baselineMean(), 100 * c.difference(), 100 * c.ciLow(), 100 * c.ciHigh(),
                100 * rule.margin(), 100 * agreement);
        String reason = problems.isEmpty() ? "not worse: " + figures
                : "refused: " + String.join("; ", problems) + " — " + figures;
        return new GateVerdict(problems.isEmpty(), reason, problems, agreement, c, report);
    }

    @Override
    public PromotionDecision promoteIfNotWorse(EvalSpec spec, int candidate, EvalTarget reference,
            NonInferiorityRule rule, Change change) {
        Objects.requireNonNull(change, "change");
        GateVerdict v = checkNotWorse(spec, candidate, reference, rule);
        Assistant assistant = ft.assistant(spec.assistant());
        if (!v.passed()) {
            return new PromotionDecision(false, v.reason(), v.report(), v.comparison(), assistant.selection());
        }
        String reason = (change.reason().isBlank() ? "" : change.reason() + " | ") + "promoted, " + v.reason();
        Selection after = assistant.activate(candidate, Change.by(change.actor(), reason));
        return new PromotionDecision(true, reason, v.report(), v.comparison(), after);
    }

    @Override
    public List<String> history(String assistant) {
        List<String> out = new ArrayList<>();
        String cursor = assistant + "/";
        while (true) {
            StorePage page = ft.store().list(ft.tenant(), EVALUATIONS, cursor, 1000);
            for (StoreKey k : page.keys()) {
                if (!k.id().startsWith(assistant + "/")) {
                    return sorted(out);
                }
                ft.store().latest(k).ifPresent(r -> out.add(r.value()));
            }
            if (page.nextCursor() == null) {
                return sorted(out);
            }
            cursor = page.nextCursor();
        }
    }

    private static List<String> sorted(List<String> summaries) {
        summaries.sort(java.util.Comparator.comparing(DefaultEvaluator::createdAt));
        return summaries;
    }

    private static String createdAt(String summary) {
        try {
            return Json.mapper().readTree(summary).path("created_at").asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "";
        }
    }
}
