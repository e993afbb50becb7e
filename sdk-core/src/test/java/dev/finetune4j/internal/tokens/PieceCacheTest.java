package dev.finetune4j.internal.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Counting a text as the sum of its pre-tokens' counts, remembered in a {@link PieceCache}, gives
 * jtokkit's count of the whole text: on the first pass (every pre-token encoded), on later passes
 * (every short one from the cache), and with a cache so small that pre-tokens keep replacing each
 * other.
 */
class PieceCacheTest {

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    /** Fragments that make every pattern of the pre-tokenizers match, and their edges meet. */
    private static final List<String> FRAGMENTS = List.of(
            "word", " word", "Word", " WORD", "camelCase", "McDonald", " naïve", "Ünïcödé", "ß", "İstanbul",
            "'s", "'S", "'t", "'re", "'ve", "'m", "'ll", "'d", "'D", "don't", "I'M", "it's", "'x", "''",
            "1", "12", "123", "1234", "12345678", " 42", "3.14", "1,000", "٣٤٥", "½", "²",
            " ", "  ", "   ", "\t", "\t\t ", "\n", "\n\n", "\r\n", " \n", "  \n  ", "\u00a0", "\u3000", "\u2028", "\u0085",
            "!", "?!", " ...", "--", "==", "#", " (", ")", "\"", "/", "//", "\\", ".\n", "!\r\n", "@", "€", "$5",
            "中文", "日本語のテキスト", "한국어", "Привет", " мир", "مرحبا", "שלום", "ग्र", "ﬁ", "e\u0301", "a\u0308b",
            "😀", "👍🏽", "🇫🇷", "👨‍👩‍👧", "\uD835\uDC00", "<|endoftext|>", "<|im_start|>", "{\"a\":1}", "x=y+z;",
            "https://example.com/a?b=c", "C++", "e-mail", "O'Brien", "rock'n'roll");

    private static String text(Random random, int fragments, boolean loneSurrogates) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fragments; i++) {
            if (loneSurrogates && random.nextInt(20) == 0) {
                sb.append(random.nextBoolean() ? '\uD83D' : '\uDE00');
            }
            sb.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
        }
        return sb.toString();
    }

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"CL100K_BASE", "O200K_BASE", "R50K_BASE"})
    void countsOfPreTokens_sumToJtokkitsCount_onFirstAndLaterPasses(EncodingType type) {
        Encoding jtokkit = REGISTRY.getEncoding(type);
        LongTextCounter counter = new LongTextCounter(type, jtokkit);
        Random random = new Random(21);
        // jtokkit's cl100k splitter asserts valid UTF-8 (tests run with -ea), so lone surrogates only elsewhere
        boolean lone = type != EncodingType.CL100K_BASE;
        for (int round = 0; round < 3; round++) {
            Random same = new Random(21 + round);
            for (int i = 0; i < 400; i++) {
                String text = text(same, 1 + same.nextInt(60), lone && i % 10 == 0);
                assertThat(counter.count(text)).as("%s: %s", type, text).isEqualTo(jtokkit.countTokensOrdinary(text));
            }
        }
        // each fragment alone and every pair of fragments, so each pattern's edges are met
        for (String a : FRAGMENTS) {
            assertThat(counter.count(a)).as("%s: %s", type, a).isEqualTo(jtokkit.countTokensOrdinary(a));
            String b = FRAGMENTS.get(random.nextInt(FRAGMENTS.size()));
            for (String text : List.of(a + b, b + a, a + " " + b, a + "\n" + b, a + "  " + b)) {
                assertThat(counter.count(text)).as("%s: %s", type, text).isEqualTo(jtokkit.countTokensOrdinary(text));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"CL100K_BASE", "O200K_BASE"})
    void aTinyCache_whosePreTokensKeepReplacingEachOther_stillCountsExactly(EncodingType type) {
        Encoding jtokkit = REGISTRY.getEncoding(type);
        PieceCache cache = new PieceCache(jtokkit, 2, 6);
        PreTokenizer pre = PreTokenizer.of(type);
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            String text = text(random, 1 + random.nextInt(30), false);
            int sum = 0;
            char[] chars = text.toCharArray();
            Matcher m = pre.matcher(text);
            while (m.find()) {
                sum += cache.count(chars, m.start(), m.end());
            }
            assertThat(sum).as("%s: %s", type, text).isEqualTo(jtokkit.countTokensOrdinary(text));
        }
    }

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"CL100K_BASE", "O200K_BASE"})
    void aPreTokenSplitAgainAlone_isItself(EncodingType type) {
        PreTokenizer pre = PreTokenizer.of(type);
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            String text = text(random, 1 + random.nextInt(40), false);
            Matcher m = pre.matcher(text);
            while (m.find()) {
                String piece = m.group();
                Matcher alone = pre.matcher(piece);
                assertThat(alone.find()).isTrue();
                assertThat(alone.group()).as("%s in %s", piece, text).isEqualTo(piece);
            }
        }
    }
}
