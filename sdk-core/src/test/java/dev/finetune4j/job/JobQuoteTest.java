package dev.finetune4j.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.ProviderException;
import dev.finetune4j.ValidationException;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.SplitPolicy;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import dev.finetune4j.testing.TestRules;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A provider's own price ({@code PRICE_QUOTE}): asked on the uploaded data, by {@code
 * FineTuneJobs.quote} and between a submission's upload and create; kept on the job's estimate.
 */
class JobQuoteTest {

    private static final Instant QUOTED_AT = Instant.parse("2026-12-04T15:00:00Z");

    private final ManualClock clock = new ManualClock();
    private final VersionStore store = VersionStores.inMemory(clock);
    private FakeProvider together;
    private FineTuning ft;
    private Dataset data;

    private static Function<JobRequest, Optional<PriceQuote>> quotes(String price, boolean allowed) {
        return r -> Optional.of(PriceQuote.builder().provider("together").model(r.baseModel())
                .price(Money.usd(price)).trainingTokens(123_456L).evaluationTokens(0L)
                .creditLimit(Money.usd("100")).allowedToProceed(allowed).quotedAt(QUOTED_AT).build());
    }

    private FineTuning build(FakeProvider provider) {
        return FineTuning.builder().store(store).clock(clock).sleeper(clock::advance).provider(provider)
                .splitPolicy(SplitPolicy.DEFAULT).build();
    }

    @BeforeEach
    void setUp() {
        together = new FakeProvider("together", false, TestRules.OPENAI).quoting(quotes("12.34", true));
        ft = build(together);
        ft.createAssistant("ava", "together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
        data = ft.dataset("ava/main");
    }

    private void examples(int n) {
        data.append(IntStream.range(0, n).mapToObj(i -> Example.of(Message.system("You are Ava."),
                Message.user("question number " + i), Message.assistant("answer number " + i))).toList(), null);
    }

    private static FineTuneSpec spec() {
        return FineTuneSpec.builder("ava", "main").build();
    }

    @Test
    void quote_uploadsOnce_andTheSubmissionThatFollowsReusesTheUploadAndKeepsItsOwnQuote() {
        examples(60);

        JobEstimate estimate = ft.jobs().quote(spec());

        assertThat(estimate.quote()).isPresent();
        assertThat(estimate.quote().get().price()).isEqualTo(Money.usd("12.34"));
        assertThat(estimate.quote().get().trainingTokens()).hasValue(123_456L);
        assertThat(estimate.tokens().examples()).isEqualTo(estimate.trainingExamples());
        assertThat(together.uploads.get()).isEqualTo(1);
        assertThat(together.creates.get()).isZero();
        assertThat(ft.jobs().list("ava")).as("a quote records no job").isEmpty();
        JobRequest asked = together.quoted.get(0);
        assertThat(asked.data().trainingRef()).isEqualTo("file-train-1");
        assertThat(asked.data().validation()).contains("file-val-1");
        assertThat(asked.baseModel()).isEqualTo("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");

        FineTuneJob job = ft.jobs().submit(spec());

        assertThat(together.uploads.get()).as("the submission reuses the quote's upload").isEqualTo(1);
        assertThat(together.quoted).hasSize(2);
        JobRequest created = together.jobs.get("ftjob-1").request;
        JobRequest quotedForJob = together.quoted.get(1);
        assertThat(quotedForJob).as("the quote prices exactly what is created").isEqualTo(created);
        assertThat(created.tag()).isEqualTo(job.id());
        assertThat(job.estimate().quote()).contains(estimate.quote().get());
        assertThat(job.estimate().warnings()).noneMatch(w -> w.contains("cannot pay"));
    }

    @Test
    void withoutAListPrice_theLocalEstimatePointsToTheQuote_andTheQuotedEstimateDoesNotWarnOfIt() {
        examples(60);

        JobEstimate local = ft.jobs().estimate(spec());
        JobEstimate quoted = ft.jobs().quote(spec());
        FineTuneJob job = ft.jobs().submit(spec());

        assertThat(local.cost()).isEmpty();
        assertThat(local.warnings()).contains("no list price for together meta-llama/Meta-Llama-3.1-8B-Instruct-"
                + "Reference: together prices a job itself once its data is uploaded; ask it with "
                + "FineTuneJobs.quote(spec) (`finetune4j train --estimate`)");
        assertThat(quoted.warnings()).noneMatch(w -> w.contains("price"));
        assertThat(job.estimate().warnings()).noneMatch(w -> w.contains("price"));
    }

    @Test
    void theQuote_isReadBackFromTheStore_byAnotherInstance() {
        examples(60);
        FineTuneJob job = ft.jobs().submit(spec());

        FineTuneJob again = build(together).jobs().job(job.id());

        assertThat(again.estimate().quote()).isPresent();
        PriceQuote q = again.estimate().quote().get();
        assertThat(q.price()).isEqualTo(Money.usd("12.34"));
        assertThat(q.creditLimit()).contains(Money.usd("100"));
        assertThat(q.evaluationTokens()).hasValue(0L);
        assertThat(q.quotedAt()).isEqualTo(QUOTED_AT);
        assertThat(again.estimate()).isEqualTo(job.estimate());
    }

    @Test
    void anAccountThatCannotPay_isWarnedAbout_butTheJobIsCreated_asTheProvidersClientDoes() {
        examples(60);
        together.quoter = quotes("950.00", false);

        FineTuneJob job = ft.jobs().submit(spec());

        assertThat(together.creates.get()).isEqualTo(1);
        assertThat(job.estimate().quote().map(PriceQuote::allowedToProceed)).contains(false);
        assertThat(job.estimate().warnings()).anyMatch(w -> w.startsWith("together says the account cannot pay "
                + "for this job (quoted USD 950.00, credit limit USD 100.00)"));
    }

    @Test
    void aFailedQuote_doesNotStopTheSubmission_andIsAWarning() {
        examples(60);
        together.quoter = r -> {
            throw new ProviderException("together: 500 internal error", "together", 500, null, null, "{}", true);
        };

        FineTuneJob job = ft.jobs().submit(spec());

        assertThat(together.creates.get()).isEqualTo(1);
        assertThat(job.estimate().quote()).isEmpty();
        assertThat(job.estimate().warnings()).anyMatch(w -> w.startsWith("together did not quote a price before the "
                + "job was created: together: 500 internal error"));
    }

    @Test
    void aRequestTheProviderModuleRefusesAtTheQuote_rejectsTheJob_beforeAnyCreate() {
        examples(60);
        together.quoter = r -> {
            throw new IllegalArgumentException("together: batchSize 64 is above the model's maximum 32");
        };

        assertThatThrownBy(() -> ft.jobs().submit(spec())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("together: batchSize 64 is above the model's maximum 32");

        assertThat(together.creates.get()).isZero();
        FineTuneJob job = ft.jobs().list("ava").get(0);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.rawStatus()).isEqualTo("REJECTED");
        assertThat(ft.jobs().resume()).as("a rejected job is not retried").isEmpty();
    }

    @Test
    void aProviderThatCannotPriceTheJob_isSaidSo() {
        examples(60);
        together.quoter = r -> Optional.empty();

        JobEstimate estimate = ft.jobs().quote(spec());

        assertThat(estimate.quote()).isEmpty();
        assertThat(estimate.warnings()).anyMatch(w -> w.startsWith("together could not price this job in advance"));
    }

    @Test
    void aStandAloneQuoteThatFails_throws_andTheUploadIsStillReusedByTheSubmission() {
        examples(60);
        together.quoter = r -> {
            throw new ProviderException("together: 503 busy", "together", 503, null, null, "{}", true);
        };

        assertThatThrownBy(() -> ft.jobs().quote(spec())).isInstanceOf(ProviderException.class);
        together.quoter = quotes("12.34", true);
        ft.jobs().submit(spec());

        assertThat(together.uploads.get()).isEqualTo(1);
    }

    @Test
    void aProviderThatDoesNotQuote_isSentNothing() {
        FakeProvider openai = new FakeProvider("openai", false, TestRules.OPENAI);
        FineTuning plain = build(openai);
        plain.createAssistant("bob", "openai", "gpt-4o-mini-2024-07-18");
        plain.dataset("bob/main").append(IntStream.range(0, 60).mapToObj(i -> Example.of(
                Message.user("q" + i), Message.assistant("a" + i))).toList(), null);

        JobEstimate estimate = plain.jobs().quote(FineTuneSpec.builder("bob", "main").build());

        assertThat(estimate.quote()).isEmpty();
        assertThat(estimate).isEqualTo(plain.jobs().estimate(FineTuneSpec.builder("bob", "main").build()));
        assertThat(openai.calls.get()).isZero();
    }

    @Test
    void dataThatBreaksTheProvidersRules_isNeitherUploadedNorQuoted() {
        FakeProvider strict = new FakeProvider("together", false, TestRules.MISTRAL).quoting(quotes("1", true));
        FineTuning withStrict = build(strict);
        withStrict.createAssistant("parser", "together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
        withStrict.dataset("parser/main").append(IntStream.range(0, 40).mapToObj(i -> Example.of(
                Message.user("q" + i), Message.assistant("a" + i), Message.user("and?"))).toList(), null);

        assertThatThrownBy(() -> withStrict.jobs().quote(FineTuneSpec.builder("parser", "main").build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("nothing was uploaded");
        assertThat(strict.calls.get()).isZero();
    }
}
