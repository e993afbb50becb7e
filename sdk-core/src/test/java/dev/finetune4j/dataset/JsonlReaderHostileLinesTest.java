package dev.finetune4j.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.finetune4j.format.DatasetFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Lines built to break the JSON reader cost only themselves, and name their line and a stable code. */
class JsonlReaderHostileLinesTest {

    private static final String GOOD = "{\"messages\":[{\"role\":\"system\",\"content\":\"parse\"},"
            + "{\"role\":\"user\",\"content\":\"bench 225 for 8\"},"
            + "{\"role\":\"assistant\",\"content\":\"{\\\"reps\\\":8}\"}]}";

    private final List<ReadExample> accepted = new ArrayList<>();

    private ValidationReport read(byte[] bytes, ImportOptions options) {
        accepted.clear();
        return JsonlReader.read(new ByteArrayInputStream(bytes), options, accepted::add);
    }

    private static String good(int n) {
        return GOOD.replace("225", String.valueOf(200 + n));
    }

    /** Good line 1, the hostile line 2, good line 3. */
    private static byte[] between(String hostile) {
        return (good(1) + "\n" + hostile + "\n" + good(3) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void hundredThousandNestedBrackets_areOneBadLine_andTheGoodLinesAreRead(int parallelism) {
        ValidationReport report = read(between("[".repeat(100_000)),
                ImportOptions.builder().parallelism(parallelism).build());

        assertThat(report.issues()).extracting(ValidationIssue::line, i -> i.code().code())
                .containsExactly(tuple(2L, "nesting_too_deep"));
        assertThat(report.issues().get(0).message()).contains("more than 200 levels deep");
        assertThat(accepted).extracting(ReadExample::line).containsExactly(1L, 3L);
        assertThat(report.lines()).isEqualTo(3);
        assertThat(report.invalid()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void millionDigitNumber_isOneBadLine_andTheGoodLinesAreRead(int parallelism) {
        String hostile = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\","
                + "\"weight\":" + "1".repeat(1_000_000) + "}]}";

        ValidationReport report = read(between(hostile), ImportOptions.builder().parallelism(parallelism).build());

        assertThat(report.issues()).extracting(ValidationIssue::line, i -> i.code().code())
                .containsExactly(tuple(2L, "number_too_long"));
        assertThat(report.issues().get(0).message()).contains("more than 1000 characters");
        assertThat(accepted).extracting(ReadExample::line).containsExactly(1L, 3L);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void keyLongerThanTheLimit_isOneBadLine(int parallelism) {
        String hostile = "{\"" + "k".repeat(60_000) + "\":1}";

        ValidationReport report = read(between(hostile), ImportOptions.builder().parallelism(parallelism).build());

        assertThat(report.issues()).extracting(ValidationIssue::line, i -> i.code().code())
                .containsExactly(tuple(2L, "string_too_long"));
        assertThat(report.issues().get(0).message()).isEqualTo("a key has more than 50000 characters");
        assertThat(accepted).extracting(ReadExample::line).containsExactly(1L, 3L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "mistral", "alpaca"})
    void everyImportableFormat_reportsTheLimitOnItsLine(String format) {
        DatasetFormat f = DatasetFormat.fromId(format);
        String goodLine = f == DatasetFormat.ALPACA ? "{\"instruction\":\"a\",\"output\":\"b\",\"system\":\"c\"}" : good(1);
        byte[] input = (goodLine + "\n" + "{\"a\":".repeat(50_000) + "\n" + "-" + "9".repeat(2000) + "\n")
                .getBytes(StandardCharsets.UTF_8);

        ValidationReport report = read(input, ImportOptions.builder().format(f).build());

        assertThat(report.issues()).extracting(ValidationIssue::line, i -> i.code().code())
                .containsExactly(tuple(2L, "nesting_too_deep"), tuple(3L, "number_too_long"));
        assertThat(accepted).extracting(ReadExample::line).containsExactly(1L);
    }

    @ParameterizedTest
    @CsvSource({"UTF-16LE, FFFE", "UTF-16BE, FEFF", "UTF-32LE, FFFE0000", "UTF-32BE, 0000FEFF"})
    void fileWithAUtf16OrUtf32ByteOrderMark_isOneFileLevelError_namingTheEncoding(String encoding, String bom) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(java.util.HexFormat.of().parseHex(bom));
        out.writeBytes((good(1) + "\n" + good(2) + "\n" + good(3) + "\n").getBytes(Charset.forName(encoding)));

        ValidationReport report = read(out.toByteArray(), ImportOptions.defaults());

        assertThat(report.issues()).extracting(ValidationIssue::line, i -> i.code().code())
                .containsExactly(tuple(1L, "unsupported_encoding"));
        assertThat(report.issues().get(0).message())
                .startsWith("this file is " + encoding + ", not UTF-8")
                .contains("iconv -f " + encoding + " -t UTF-8");
        assertThat(report.hasErrors()).isTrue();
        assertThat(report.valid()).isZero();
        assertThat(accepted).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"messages\":[{\"role\":\"user\",\"content\":\"lone \\ud800 here\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}"
            + "| messages[0].content has an unpaired UTF-16 surrogate at character 6",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"ok\\udc00\"}]}"
            + "| messages[1].content has an unpaired UTF-16 surrogate at character 3",
        "{\"messages\":[],\"tags\":{\"\\ud83d\":\"x\"}}| a key in tags has an unpaired UTF-16 surrogate at character 1"})
    void unpairedSurrogateEscape_isOneBadLine_namingWhere(String hostile, String where) {
        ValidationReport report = read(between(hostile), ImportOptions.defaults());

        assertThat(report.issues()).extracting(ValidationIssue::line, i -> i.code().code())
                .containsExactly(tuple(2L, "unpaired_surrogate"));
        assertThat(report.issues().get(0).message()).startsWith(where + " (a \\uD800-\\uDFFF escape");
        assertThat(accepted).extracting(ReadExample::line).containsExactly(1L, 3L);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void completeSurrogatePairs_areText(int parallelism) {
        String emoji = "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
                + "{\"role\":\"user\",\"content\":\"\\ud83d\\ude00 and 😀\"},"
                + "{\"role\":\"assistant\",\"content\":\"ok\"}]}";

        ValidationReport report = read(between(emoji), ImportOptions.builder().parallelism(parallelism).build());

        assertThat(report.issues()).isEmpty();
        assertThat(accepted.get(1).example().messages().get(1).content()).hasValue("😀 and 😀");
    }
}
