package dev.finetune4j.internal.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hand-written splitters of cl100k and o200k cut every text exactly where jtokkit's regular
 * expressions do, on random texts over an alphabet chosen to meet every alternative and every
 * quantifier's back-off: letters of each case category, marks, modifier and other letters, digits
 * and other numbers, white space that is and is not a line end, symbols, apostrophes and letters
 * that fold to a contraction's letters, supplementary characters.
 */
class PreTokenizerTest {

    private static final String[] ALPHABET = {
        "a", "b", "s", "t", "e", "r", "v", "m", "l", "d", "S", "T", "R", "E", "L", "D", "M", "V", "X",
        "ſ", "K", "İ", "ı", "ǅ", "ʰ", "ー", "中", "文", "の", "한", "ß", "é", "É", "\u0301", "\u0308", "\u20dd", "\u0903",
        "'", "'", "'", "’", "0", "7", "٣", "½", "²", "Ⅻ", " ", " ", " ", "\t", "\n", "\r", "\u000b", "\u00a0", "\u3000",
        "\u2028", "\u2029", "\u0085", "\u001c", "\u200b", "!", ".", "/", "-", "=", "\"", "\\", "€", "@", "_",
        "😀", "𝐀", "𝐚", "𝟙", "\uD83C\uDDEB", "\uD800\uDC00",
    };

    private static List<String> byPattern(PreTokenizer pre, String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = pre.matcher(text);
        int last = 0;
        while (m.find()) {
            assertThat(m.start()).as("the pattern covers every char of %s", text).isEqualTo(last);
            pieces.add(m.group());
            last = m.end();
        }
        return pieces;
    }

    private static List<String> byHand(PreTokenizer pre, String text) {
        List<String> pieces = new ArrayList<>();
        char[] chars = text.toCharArray();
        for (int i = 0; i < text.length(); ) {
            int end = pre.end(chars, i);
            assertThat(end).as("a pre-token at %d of %s", i, text).isGreaterThan(i);
            pieces.add(text.substring(i, end));
            i = end;
        }
        return pieces;
    }

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"CL100K_BASE", "O200K_BASE"})
    void splitsByHand_exactlyAsThePattern(EncodingType type) {
        PreTokenizer pre = PreTokenizer.of(type);
        assertThat(pre.splitsByHand()).isTrue();
        Random random = new Random(2021);
        for (int i = 0; i < 30_000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = 1 + random.nextInt(i < 20_000 ? 8 : 40);
            for (int k = 0; k < length; k++) {
                sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            String text = sb.toString();
            assertThat(byHand(pre, text)).as("%s: %s", type, text).isEqualTo(byPattern(pre, text));
        }
    }

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"CL100K_BASE", "O200K_BASE"})
    void splitsRealText_exactlyAsThePattern(EncodingType type) {
        PreTokenizer pre = PreTokenizer.of(type);
        for (String text : List.of(
                "Hello, world! I'm here; you're there. We'VE done it's 1234567 things\n\n  ok?",
                "  leading and trailing spaces   ",
                "line one\r\nline two\n\n\nthree  \n  four",
                "CamelCaseWords and ALLCAPS and lowerUPPER McDonald's",
                "Ünïcödé naïve café Straße ΑΘΗΝΑ Привет мир",
                "中文字符和日本語のテキストと한국어",
                "emoji 😀👍🏽🇫🇷 and math 𝐀𝐁𝐂 𝐚𝐛𝐜",
                "path/to/file.txt // comment\n/* block */ a=b+c;",
                "{\"role\": \"assistant\", \"content\": \"Sure! Here's the plan:\\n1. Do it\"}")) {
            assertThat(byHand(pre, text)).as(text).isEqualTo(byPattern(pre, text));
        }
    }
}
