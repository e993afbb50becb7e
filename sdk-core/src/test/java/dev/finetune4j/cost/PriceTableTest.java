package dev.finetune4j.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.NotFoundException;
import dev.finetune4j.tokens.TokenStats;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private static final PriceTable DEFAULTS = PriceTable.defaults();

    private static Price price(String provider, String model) {
        return DEFAULTS.find(provider, model).orElseThrow();
    }

    private static TokenStats stats(int examples, int tokensEach, int limit) {
        TokenStats.Accumulator acc = TokenStats.accumulator("o200k_base", true).maxTokensPerExample(limit);
        for (int i = 0; i < examples; i++) {
            acc.add(tokensEach, tokensEach / 4, 3);
        }
        return acc.build();
    }

    private static InputStream json(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void defaults_openAiPrices() {
        Price mini = price("openai", "gpt-4o-mini");
        assertThat(mini.trainingPerMillion()).isEqualTo(Money.usd("3.00"));
        assertThat(mini.inputPerMillion()).isEqualTo(Money.usd("0.30"));
        assertThat(mini.outputPerMillion()).isEqualTo(Money.usd("1.20"));
        assertThat(mini.baseInputPerMillion()).isEqualTo(Money.usd("0.15"));
        assertThat(mini.baseOutputPerMillion()).isEqualTo(Money.usd("0.60"));
        assertThat(mini.minimumJobFee().isZero()).isTrue();
        assertThat(mini.effectiveDate()).isEqualTo(LocalDate.of(2025, 6, 1));
        assertThat(mini.source()).startsWith("https://openai.com/api/pricing/");

        assertThat(price("openai", "gpt-4o-2024-08-06").trainingPerMillion()).isEqualTo(Money.usd("25.00"));
        assertThat(price("openai", "gpt-4o-2024-08-06").inputPerMillion()).isEqualTo(Money.usd("3.75"));
        assertThat(price("openai", "gpt-4.1-2025-04-14").outputPerMillion()).isEqualTo(Money.usd("12.00"));
        assertThat(price("openai", "gpt-4.1-mini-2025-04-14").trainingPerMillion()).isEqualTo(Money.usd("5.00"));
        assertThat(price("openai", "gpt-4.1-nano-2025-04-14").trainingPerMillion()).isEqualTo(Money.usd("1.50"));
        assertThat(price("openai", "gpt-4.1-nano-2025-04-14").baseOutputPerMillion()).isEqualTo(Money.usd("0.40"));
        assertThat(price("openai", "gpt-3.5-turbo-0125").trainingPerMillion()).isEqualTo(Money.usd("8.00"));
        assertThat(price("openai", "gpt-3.5-turbo-0125").outputPerMillion()).isEqualTo(Money.usd("6.00"));
    }

    @Test
    void defaults_mistralPrices_haveTheMinimumFee() {
        Price large = price("mistral", "mistral-large-latest");
        assertThat(large.trainingPerMillion()).isEqualTo(Money.usd("9"));
        assertThat(large.inputPerMillion()).isEqualTo(Money.usd("2"));
        assertThat(large.outputPerMillion()).isEqualTo(Money.usd("6"));
        assertThat(large.minimumJobFee()).isEqualTo(Money.usd("4.00"));
        assertThat(price("mistral", "ministral-3b-latest").outputPerMillion()).isEqualTo(Money.usd("0.04"));
        assertThat(price("mistral", "codestral-latest").trainingPerMillion()).isEqualTo(Money.usd("3"));
        assertThat(DEFAULTS.prices()).filteredOn(p -> p.provider().equals("mistral")).hasSize(7)
                .allSatisfy(p -> assertThat(p.minimumJobFee()).isEqualTo(Money.usd("4")));
        assertThat(DEFAULTS.prices()).hasSize(13);
    }

    @Test
    void find_prefersExactThenLongestPrefix() {
        assertThat(price("openai", "gpt-4o-mini-2024-07-18").model()).isEqualTo("gpt-4o-mini");
        assertThat(price("openai", "gpt-4o-2024-08-06").model()).isEqualTo("gpt-4o");
        assertThat(price("openai", "gpt-4.1-mini-2025-04-14").model()).isEqualTo("gpt-4.1-mini");
        assertThat(price("OpenAI", "GPT-4.1-2025-04-14").model()).isEqualTo("gpt-4.1");
        assertThat(DEFAULTS.find("openai", "davinci-002")).isEmpty();
        assertThat(DEFAULTS.find("huggingface", "meta-llama/Llama-3.1-8B")).isEmpty();
    }

    @Test
    void find_fineTunedIds_useTheirBaseModelsPrice() {
        assertThat(price("openai", "ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:96olL566").model())
                .isEqualTo("gpt-4o-mini");
        assertThat(price("openai", "ft:gpt-4o-mini:openai::7p4lURel").model()).isEqualTo("gpt-4o-mini");
        assertThat(price("openai", "ft:gpt-4.1-nano-2025-04-14:org:x:abc:ckpt-step-2000").model())
                .isEqualTo("gpt-4.1-nano");
        assertThat(price("mistral", "ft:open-mistral-7b:587a6b29:20240514:7e773925").model())
                .isEqualTo("open-mistral-7b");
        assertThat(price("mistral", "ft:classifier:ministral-3b-latest:abc:20250401:def").model())
                .isEqualTo("ministral-3b-latest");
    }

    @Test
    void toBuilder_overridesAndExtendsWithoutChangingTheDefaults() {
        Price negotiated = Price.builder("openai", "gpt-4o-mini")
                .training(Money.usd("2.00"))
                .fineTunedInference(Money.usd("0.25"), Money.usd("1.00"))
                .baseInference(Money.usd("0.15"), Money.usd("0.60"))
                .effectiveDate(LocalDate.of(2026, 1, 1))
                .source("contract 2026-17")
                .build();
        Price llama = Price.builder("huggingface", "meta-llama/")
                .training(Money.of("0.50", "EUR"))
                .fineTunedInference(Money.of("0.10", "EUR"), Money.of("0.10", "EUR"))
                .baseInference(Money.of("0.10", "EUR"), Money.of("0.10", "EUR"))
                .effectiveDate(LocalDate.of(2026, 2, 1))
                .source("in-house GPU cost")
                .build();

        PriceTable table = DEFAULTS.toBuilder().put(negotiated).put(llama).remove("mistral", "codestral-latest").build();

        assertThat(table.find("openai", "gpt-4o-mini-2024-07-18")).contains(negotiated);
        assertThat(table.find("huggingface", "meta-llama/Llama-3.1-8B-Instruct")).contains(llama);
        assertThat(table.find("mistral", "codestral-latest")).isEmpty();
        assertThat(DEFAULTS.find("openai", "gpt-4o-mini").orElseThrow().trainingPerMillion())
                .isEqualTo(Money.usd("3"));
        assertThat(DEFAULTS.find("mistral", "codestral-latest")).isPresent();
        assertThat(PriceTable.builder().build().prices()).isEmpty();
    }

    @Test
    void find_anExactFineTunedEntry_beatsTheBaseModel() {
        Price special = Price.builder("openai", "ft:gpt-4o-mini:acme::abc")
                .training(Money.usd("1"))
                .fineTunedInference(Money.usd("1"), Money.usd("1"))
                .baseInference(Money.usd("1"), Money.usd("1"))
                .effectiveDate(LocalDate.of(2026, 1, 1))
                .source("test")
                .build();
        PriceTable table = DEFAULTS.toBuilder().put(special).build();

        assertThat(table.find("openai", "ft:gpt-4o-mini:acme::abc")).contains(special);
        assertThat(table.find("openai", "ft:gpt-4o-mini:acme::other").orElseThrow().model()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void estimate_gpt4oMini_100examplesOf1000Tokens_autoEpochs_is90Cents() {
        CostEstimate e = DEFAULTS.estimate("openai", "gpt-4o-mini-2024-07-18", stats(100, 1000, 65_536));

        assertThat(e.epochs()).isEqualTo(3);
        assertThat(e.epochsAuto()).isTrue();
        assertThat(e.tokensPerEpoch()).isEqualTo(100_000);
        assertThat(e.billedTokens()).isEqualTo(300_000);
        assertThat(e.cost()).isEqualTo(Money.usd("0.90"));
        assertThat(e.cost()).hasToString("USD 0.90");
        assertThat(e.minimumFeeApplied()).isFalse();
        assertThat(e.provider()).isEqualTo("openai");
        assertThat(e.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(e.pricedAs()).isEqualTo("gpt-4o-mini");
        assertThat(e.priceEffectiveDate()).isEqualTo(LocalDate.of(2025, 6, 1));
        assertThat(e.priceSource()).contains("openai.com");
        assertThat(e.exactTokens()).isTrue();
    }

    @Test
    void estimate_billsAtMostTheLimitPerExample() {
        // 10 examples of 70,000 tokens, limit 65,536: 655,360 per epoch; auto epochs for 10 = 10
        CostEstimate e = DEFAULTS.estimate("openai", "gpt-4o-2024-08-06", stats(10, 70_000, 65_536));

        assertThat(e.tokensPerEpoch()).isEqualTo(655_360);
        assertThat(e.epochs()).isEqualTo(10);
        assertThat(e.billedTokens()).isEqualTo(6_553_600);
        assertThat(e.cost()).isEqualTo(Money.usd("163.84")); // 6.5536 M x $25
    }

    @Test
    void estimate_smallMistralJob_costsTheMinimumFee() {
        CostEstimate e = DEFAULTS.estimate("mistral", "open-mistral-7b", stats(100, 1000, Integer.MAX_VALUE));

        // 300,000 tokens x $1 / M = $0.30 < $4.00 minimum
        assertThat(e.billedTokens()).isEqualTo(300_000);
        assertThat(e.cost()).isEqualTo(Money.usd("4.00"));
        assertThat(e.minimumFeeApplied()).isTrue();
    }

    @Test
    void estimate_largeMistralJob_costsItsTokens() {
        CostEstimate e = DEFAULTS.estimate("mistral", "mistral-large-latest", 2_000, 3_000_000L, 3, false);

        assertThat(e.billedTokens()).isEqualTo(9_000_000);
        assertThat(e.cost()).isEqualTo(Money.usd("81.00"));
        assertThat(e.minimumFeeApplied()).isFalse();
        assertThat(e.epochsAuto()).isFalse();
        assertThat(e.exactTokens()).isFalse();
    }

    @Test
    void estimate_explicitEpochs_andFineTunedParent() {
        CostEstimate e = DEFAULTS.estimate("openai", "ft:gpt-4.1-mini-2025-04-14:acme::xyz", stats(50, 400, 65_536), 2);

        // 50 x 400 = 20,000 per epoch, 2 epochs, $5 / M
        assertThat(e.billedTokens()).isEqualTo(40_000);
        assertThat(e.cost()).isEqualTo(Money.usd("0.20"));
        assertThat(e.pricedAs()).isEqualTo("gpt-4.1-mini");
    }

    @Test
    void estimate_tinyJob_keepsEveryDigit() {
        CostEstimate e = DEFAULTS.estimate("openai", "gpt-4.1-nano", 10, 123L, true);

        // 10 examples -> 10 epochs; 1,230 tokens x $1.50 / M = $0.001845
        assertThat(e.cost()).hasToString("USD 0.001845");
    }

    @Test
    void estimate_unknownModel_namesItAndSaysHowToAddAPrice() {
        assertThatThrownBy(() -> DEFAULTS.estimate("mistral", "pixtral-12b-latest", 100, 1000L, true))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no fine-tuning price for mistral model 'pixtral-12b-latest' "
                        + "(prices known for mistral: codestral-latest, ministral-3b-latest, ")
                .hasMessageEndingWith("); add one with PriceTable.defaults().toBuilder()"
                        + ".put(Price.builder(\"mistral\", \"pixtral-12b-latest\")...build()).build()");
        assertThatThrownBy(() -> DEFAULTS.estimate("huggingface", "ft:some-model:x", 100, 1000L, true))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("no fine-tuning price for huggingface model 'ft:some-model:x' (the table has no "
                        + "prices for huggingface); add one with PriceTable.defaults().toBuilder()"
                        + ".put(Price.builder(\"huggingface\", \"some-model\")...build()).build()");
    }

    @Test
    void estimate_badCounts_areRejected() {
        assertThatThrownBy(() -> DEFAULTS.estimate("openai", "gpt-4o-mini", stats(0, 0, 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("examples must be at least 1, was 0");
        assertThatThrownBy(() -> DEFAULTS.estimate("openai", "gpt-4o-mini", 10, 100L, 0, true))
                .hasMessage("epochs must be at least 1, was 0");
        assertThatThrownBy(() -> DEFAULTS.estimate("openai", "gpt-4o-mini", 10, -1L, 1, true))
                .hasMessage("tokensPerEpoch must be at least 0, was -1");
    }

    @Test
    void price_mixedCurrencies_orMissingParts_areRejected() {
        assertThatThrownBy(() -> Price.builder("openai", "x").training(Money.usd("1"))
                        .fineTunedInference(Money.of("1", "EUR"), Money.usd("1"))
                        .baseInference(Money.usd("1"), Money.usd("1"))
                        .effectiveDate(LocalDate.of(2025, 1, 1)).source("s").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputPerMillion is in EUR but trainingPerMillion is in USD: use one currency per price");
        assertThatThrownBy(() -> Price.builder("openai", "x").training(Money.usd("1")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the price of openai model 'x' needs fineTunedInference(Money, Money)");
    }

    @Test
    void price_trainingCost_appliesTheMinimumFee() {
        Price p = price("mistral", "mistral-small-latest");

        assertThat(p.trainingCost(0)).isEqualTo(Money.usd("4"));
        assertThat(p.trainingCost(1_000_000)).isEqualTo(Money.usd("4"));
        assertThat(p.trainingCost(2_500_000)).isEqualTo(Money.usd("10"));
    }

    @Test
    void fromJson_readsAmountsExactly() {
        PriceTable t = PriceTable.fromJson(json("{\"prices\":[{\"provider\":\"Acme\",\"model\":\"m\","
                + "\"currency\":\"EUR\",\"training_per_million\":0.1,\"input_per_million\":\"0.2\","
                + "\"output_per_million\":0.3,\"base_input_per_million\":0.1,\"base_output_per_million\":0.1,"
                + "\"effective_date\":\"2026-03-01\",\"source\":\"s\"}]}"));

        Price p = t.find("acme", "m-1").orElseThrow();
        assertThat(p.trainingPerMillion()).isEqualTo(Money.of("0.10", "EUR"));
        assertThat(p.inputPerMillion()).isEqualTo(Money.of("0.20", "EUR"));
        assertThat(p.minimumJobFee()).isEqualTo(Money.zero("EUR"));
        assertThat(p.provider()).isEqualTo("acme");
    }

    @Test
    void fromJson_errors_nameTheEntryAndField() {
        assertThatThrownBy(() -> PriceTable.fromJson(json("{}")))
                .hasMessage("price JSON needs a top-level \"prices\" array");
        assertThatThrownBy(() -> PriceTable.fromJson(json("{\"prices\":[{\"provider\":\"a\",\"model\":\"m\","
                + "\"currency\":\"USD\",\"training_per_million\":true}]}")))
                .hasMessage("price JSON prices[0]: \"training_per_million\" must be a number");
        assertThatThrownBy(() -> PriceTable.fromJson(json("{\"prices\":[{\"provider\":\"a\",\"model\":\"m\","
                + "\"currency\":\"USD\",\"training_per_million\":1,\"input_per_million\":0,"
                + "\"output_per_million\":0,\"base_input_per_million\":0,\"base_output_per_million\":0,"
                + "\"effective_date\":\"1 May\"}]}")))
                .hasMessage("price JSON prices[0]: \"effective_date\" must be YYYY-MM-DD, was '1 May'");
        String entry = "{\"provider\":\"a\",\"model\":\"m\",\"currency\":\"USD\",\"training_per_million\":-1,"
                + "\"input_per_million\":0,\"output_per_million\":0,\"base_input_per_million\":0,"
                + "\"base_output_per_million\":0,\"effective_date\":\"2026-01-01\",\"source\":\"s\"}";
        assertThatThrownBy(() -> PriceTable.fromJson(json("{\"prices\":[" + entry + "]}")))
                .hasMessage("price JSON prices[0]: trainingPerMillion must not be negative, was USD -1.00");
        String ok = entry.replace("-1", "1");
        assertThatThrownBy(() -> PriceTable.fromJson(json("{\"prices\":[" + ok + "," + ok.replace("\"m\"", "\"M\"") + "]}")))
                .hasMessage("price JSON has two prices for a model 'M'");
        assertThatThrownBy(() -> PriceTable.fromJson(json("{\"prices\":")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("price JSON is not valid JSON");
    }
}
