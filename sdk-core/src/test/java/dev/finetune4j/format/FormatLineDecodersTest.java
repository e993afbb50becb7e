package dev.finetune4j.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.internal.format.AlpacaDecoder;
import dev.finetune4j.internal.format.LineDecoders;
import dev.finetune4j.internal.validate.ExampleReader;
import dev.finetune4j.internal.validate.LineDecoder;
import dev.finetune4j.testing.TestRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatLineDecodersTest {

    // A system message in second place: accepted by the OpenAI rules, rejected by Mistral's.
    private static final String LATE_SYSTEM = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
            + "{\"role\":\"system\",\"content\":\"Be nice.\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}";

    @Test
    void openai_usesTheGivenRules() {
        LineDecoder openai = LineDecoders.forFormat(DatasetFormat.OPENAI, DataRules.standard());
        LineDecoder strict = LineDecoders.forFormat(DatasetFormat.OPENAI, TestRules.MISTRAL);
        List<ValidationIssue> issues = new ArrayList<>();

        assertThat(openai).isInstanceOf(ExampleReader.class);
        assertThat(openai.read(ConversionFixtures.parse(LATE_SYSTEM), 1, issues)).isNotNull();
        assertThat(strict.read(ConversionFixtures.parse(LATE_SYSTEM), 2, issues)).isNull();
        assertThat(issues).extracting(ValidationIssue::code).containsExactly(IssueCode.SYSTEM_MESSAGE_POSITION);
    }

    @Test
    void mistral_alwaysUsesMistralRules() {
        LineDecoder mistral = LineDecoders.forFormat(DatasetFormat.MISTRAL, DataRules.standard());
        List<ValidationIssue> issues = new ArrayList<>();

        assertThat(mistral.read(ConversionFixtures.parse(LATE_SYSTEM), 1, issues)).isNull();
        assertThat(issues).extracting(ValidationIssue::code).containsExactly(IssueCode.SYSTEM_MESSAGE_POSITION);
    }

    @Test
    void alpaca_isTheAlpacaDecoder() {
        assertThat(LineDecoders.forFormat(DatasetFormat.ALPACA, DataRules.standard())).isInstanceOf(AlpacaDecoder.class);
    }

    @Test
    void exportOnlyFormats_areRejectedNamingTheImportableOnes() {
        for (DatasetFormat f : DatasetFormat.values()) {
            if (f.importable()) {
                assertThat(LineDecoders.forFormat(f, DataRules.standard())).isNotNull();
            } else {
                assertThatThrownBy(() -> LineDecoders.forFormat(f, DataRules.standard()))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("format '" + f.id() + "' cannot be imported; importable formats are openai, "
                                + "mistral, alpaca");
            }
        }
    }
}
