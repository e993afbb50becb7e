package dev.finetune4j.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One long word is counted in memory that does not grow with it: a child JVM with a 160 MB heap
 * (room for the vocabularies as they load; jtokkit alone needs about 700 MB for this word) counts a
 * 3-million-letter word and gets the count this JVM gets.
 */
class TokenCounterLongWordTest {

    /** A word of {@code length} letters, the same for the same seed. */
    static String word(int length, long seed) {
        Random random = new Random(seed);
        char[] letters = new char[length];
        for (int i = 0; i < length; i++) {
            letters[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(letters);
    }

    @Test
    void threeMillionLetterWord_isCountedInA160MbHeap_asInAnUnboundedOne() throws Exception {
        int expected = TokenCounter.forModel("gpt-4o-mini").countText(word(3_000_000, 1));

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m", "-cp", System.getProperty("java.class.path"), Worker.class.getName(), "3000000", "1")
                .redirectErrorStream(true)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

        assertThat(child.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(List.of(out.split("\n"))).last().isEqualTo("tokens " + expected);
    }

    /** Counts {@code word(args[0], args[1])} and prints {@code tokens N}. */
    public static final class Worker {
        public static void main(String[] args) {
            TokenCounter counter = TokenCounter.forModel("gpt-4o-mini");
            String word = word(Integer.parseInt(args[0]), Long.parseLong(args[1]));
            System.out.println("tokens " + counter.countText(word));
        }
    }
}
