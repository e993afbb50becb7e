package dev.finetune4j.internal.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The streamed count gives jtokkit's count, the existing one, on long texts of every shape that
 * makes one long pre-token, and on mixed texts cut at many places.
 */
class LongTextCounterTest {

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private static Encoding jtokkit(EncodingType type) {
        return REGISTRY.getEncoding(type);
    }

    /** {@code length} characters (code points for the supplementary ones) drawn by {@code next}. */
    private static String text(int length, IntFunction<String> next) {
        StringBuilder sb = new StringBuilder(length + 2);
        for (int i = 0; sb.length() < length; i++) {
            sb.append(next.apply(i));
        }
        return sb.toString();
    }

    private static String shape(String name, Random random) {
        int n = 20_000;
        return switch (name) {
            case "one letter" -> "a".repeat(n);
            case "one word" -> text(n, i -> String.valueOf((char) ('a' + random.nextInt(26))));
            case "mixed case word" -> text(n, i -> String.valueOf((char) ((random.nextBoolean() ? 'a' : 'A')
                    + random.nextInt(26))));
            case "upper case word" -> text(n, i -> String.valueOf((char) ('A' + random.nextInt(26))));
            case "syllables" -> text(n, i -> new String[] {"ing", "tion", "er", "the", "un", "pre", "ab", "ly"}
                    [random.nextInt(8)]);
            case "accents and marks" -> text(n, i -> random.nextInt(4) == 0 ? "\u0301" : new String[] {"é", "ü", "ß",
                    "ñ", "ø", "e", "o"}[random.nextInt(7)]);
            case "cyrillic" -> text(n, i -> String.valueOf((char) ('а' + random.nextInt(32))));
            case "spaces" -> " ".repeat(n);
            case "whitespace" -> text(n, i -> new String[] {" ", " ", "\t", "\u3000", "\u00a0"}[random.nextInt(5)]);
            case "newlines" -> text(n, i -> new String[] {"\n", "\r\n", " ", "\n\n"}[random.nextInt(4)]);
            case "digits" -> text(n, i -> String.valueOf((char) ('0' + random.nextInt(10))));
            case "cjk" -> text(n, i -> String.valueOf((char) (0x4e00 + random.nextInt(0x5000))));
            case "kana" -> text(n, i -> String.valueOf((char) (0x3041 + random.nextInt(0x56))));
            case "punctuation" -> text(n, i -> new String[] {"=", "-", "!", ".", "*", "#", "/", "\""}[random.nextInt(8)]);
            case "emoji" -> text(n, i -> new String(Character.toChars(0x1F600 + random.nextInt(80))));
            case "lone surrogates" -> text(n, i -> random.nextInt(5) == 0 ? String.valueOf((char) 0xD83D) : "!");
            case "repeated units" -> "ab".repeat(3000) + "abc".repeat(2000) + "x" + "abc".repeat(2000)
                    + "aB".repeat(1000) + "z".repeat(1999) + "Zz".repeat(777);
            case "repeated symbols" -> "=-".repeat(3000) + "=".repeat(5001) + "-".repeat(4097) + "*/".repeat(2500);
            case "repeated cjk and emoji" -> "中".repeat(4000) + "文字".repeat(3000) + "😀".repeat(2000) + "中文"
                    + "🇫🇷".repeat(1500);
            case "repeated line ends" -> "\r\n".repeat(5000) + "\n".repeat(3001) + " \n".repeat(2000) + "\n";
            case "spaces between words" -> " ".repeat(7777) + "x" + "\t".repeat(5000) + "y" + "\u3000".repeat(5000)
                    + "z" + " ".repeat(1000);
            case "mixed" -> text(n, i -> switch (random.nextInt(9)) {
                case 0 -> " ";
                case 1 -> "word";
                case 2 -> "Ünïcödé";
                case 3 -> "'s";
                case 4 -> "12345";
                case 5 -> "\n";
                case 6 -> "中文";
                case 7 -> "!?";
                default -> "😀";
            });
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static final String[] SHAPES = {"one letter", "one word", "mixed case word", "upper case word",
        "syllables", "accents and marks", "cyrillic", "spaces", "whitespace", "newlines", "digits", "cjk", "kana",
        "punctuation", "emoji", "lone surrogates", "mixed", "repeated units", "repeated symbols",
        "repeated cjk and emoji", "repeated line ends", "spaces between words"};

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"O200K_BASE", "CL100K_BASE", "R50K_BASE", "P50K_BASE"})
    void longTextsOfEveryShape_countAsJtokkitCountsThem(EncodingType type) {
        LongTextCounter counter = new LongTextCounter(type, jtokkit(type));
        Random random = new Random(42);
        for (String name : SHAPES) {
            if (name.equals("lone surrogates") && type == EncodingType.CL100K_BASE) {
                // jtokkit's cl100k splitter asserts UTF-16 without lone surrogates (tests run with -ea)
                continue;
            }
            String text = shape(name, random);
            String framed = "Start: " + text + " end.";

            assertThat(counter.count(text)).as("%s, %s", type, name).isEqualTo(jtokkit(type).countTokensOrdinary(text));
            assertThat(counter.count(framed)).as("%s, framed %s", type, name)
                    .isEqualTo(jtokkit(type).countTokensOrdinary(framed));
        }
    }

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"O200K_BASE", "CL100K_BASE", "R50K_BASE", "P50K_BASE"})
    void randomTexts_streamingEveryPreToken_andCutEverywhere_countAsJtokkit(EncodingType type) {
        // every pre-token of two characters or more is streamed; slices of jtokkit are cut every few
        LongTextCounter counter = new LongTextCounter(type, jtokkit(type), 2, 5);
        String[] parts = {" ", "  ", "\t", "\n", "\r\n", " \n ", "a", "the", "Word", "WORD", "don't", "'s", "'LL",
            "ſ", "ünï", "e\u0301", "42", "12345", "½", "!", "...", " --", "/", "中文字", "ひらがな", "😀", "🇫🇷",
            "\u3000", "\u00a0", "\u2007", "\u001c", "\u0085", "Ⅻ", "x86_64", "@#$", "!\n", " \r\n\n"};
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            String text = text(2 + random.nextInt(400), i -> parts[random.nextInt(parts.length)]);

            assertThat(counter.count(text)).as("%s: %s", type, text).isEqualTo(jtokkit(type).countTokensOrdinary(text));
        }
    }

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"O200K_BASE", "CL100K_BASE"})
    void wordsOfHundredsOfThousandsOfCharacters_countAsJtokkit(EncodingType type) {
        // the sizes where jtokkit already needs hundreds of MB; the streamed count needs a few
        LongTextCounter counter = new LongTextCounter(type, jtokkit(type));
        Random random = new Random(3);
        String letters = text(300_000, i -> String.valueOf((char) ('a' + random.nextInt(26))));
        String a = "a".repeat(1_000_000);
        String spaces = " ".repeat(300_000);

        assertThat(counter.count(letters)).isEqualTo(jtokkit(type).countTokensOrdinary(letters));
        assertThat(counter.count(a)).isEqualTo(jtokkit(type).countTokensOrdinary(a)).isEqualTo(125_000);
        assertThat(counter.count(spaces)).isEqualTo(jtokkit(type).countTokensOrdinary(spaces));
    }

    @Test
    void shortTexts_areJtokkitsCountUnchanged() {
        LongTextCounter counter = new LongTextCounter(EncodingType.O200K_BASE, jtokkit(EncodingType.O200K_BASE));

        assertThat(counter.count("")).isZero();
        assertThat(counter.count("bench 225 for 8")).isEqualTo(jtokkit(EncodingType.O200K_BASE)
                .countTokensOrdinary("bench 225 for 8"));
    }
}
