package dev.finetune4j.internal.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.EncodingType;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The streamed count against tiktoken's merge loop, written out plainly here, on raw bytes. */
class PieceCounterTest {

    /** tiktoken's byte_pair_merge: the lowest-ranked adjacent pair merges first, leftmost on ties. */
    private static int mergeLoop(Vocabulary v, byte[] piece) {
        return mergeLoopStarts(v, piece).length - 1;
    }

    /** The start of every token the merge loop leaves, and the end of the piece. */
    private static int[] mergeLoopStarts(Vocabulary v, byte[] piece) {
        int[] starts = new int[piece.length + 1];
        for (int i = 0; i <= piece.length; i++) {
            starts[i] = i;
        }
        int parts = piece.length;
        while (parts > 1) {
            int min = -1;
            int minRank = Integer.MAX_VALUE;
            for (int i = 0; i < parts - 1; i++) {
                int rank = v.rank(piece, starts[i], starts[i + 2]);
                if (rank != Vocabulary.NONE && rank < minRank) {
                    minRank = rank;
                    min = i;
                }
            }
            if (min < 0) {
                break;
            }
            System.arraycopy(starts, min + 2, starts, min + 1, parts - min - 1);
            parts--;
        }
        return java.util.Arrays.copyOf(starts, parts + 1);
    }

    private static byte[] bytes(Vocabulary v, int... tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int t : tokens) {
            byte[] token = new byte[v.length(t)];
            v.copy(t, token, 0);
            out.writeBytes(token);
        }
        return out.toByteArray();
    }

    private static int streamed(Vocabulary v, byte[] piece) {
        PieceCounter counter = new PieceCounter(v);
        for (byte b : piece) {
            counter.add(b);
        }
        return counter.count();
    }


    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"O200K_BASE", "CL100K_BASE", "R50K_BASE", "P50K_BASE"})
    void everyTokenMergesBackIntoItself_whatTheStreamedCountRelieson(EncodingType type) {
        Vocabulary v = Vocabulary.of(type);
        int checked = 0;
        for (int r = 0; r < v.size(); r++) {
            if (v.length(r) == 0) {
                continue;
            }
            byte[] token = new byte[v.length(r)];
            v.copy(r, token, 0);
            assertThat(mergeLoop(v, token)).as("token %d", r).isEqualTo(1);
            assertThat(v.rank(token, 0, token.length)).isEqualTo(r);
            checked++;
        }
        assertThat(checked).isGreaterThan(50_000);
    }

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"O200K_BASE", "CL100K_BASE", "R50K_BASE", "P50K_BASE"})
    void compatibleTokens_areExactlyThoseTheMergeLoopLeavesApart(EncodingType type) {
        Vocabulary v = Vocabulary.of(type);
        Random random = new Random(5);
        int compatible = 0;
        for (int round = 0; round < 100_000; round++) {
            int first = random.nextInt(v.size());
            // short tokens meet far more often in text, and are where merges across the boundary happen
            int second = random.nextBoolean() ? random.nextInt(v.size()) : random.nextInt(Math.min(v.size(), 2000));
            if (v.length(first) == 0 || v.length(second) == 0) {
                continue;
            }
            boolean expected = java.util.Arrays.equals(mergeLoopStarts(v, bytes(v, first, second)),
                    new int[] {0, v.length(first), v.length(first) + v.length(second)});

            assertThat(v.compatible(first, second)).as("%s: %d then %d", type, first, second).isEqualTo(expected);
            compatible += expected ? 1 : 0;
        }
        assertThat(compatible).as("both outcomes are exercised").isBetween(1000, 99_000);
    }

    @ParameterizedTest
    @EnumSource(value = EncodingType.class, names = {"O200K_BASE", "CL100K_BASE", "R50K_BASE", "P50K_BASE"})
    void randomByteStrings_countAsTheMergeLoop(EncodingType type) {
        Vocabulary v = Vocabulary.of(type);
        int tokens = v.size();
        Random random = new Random(11);
        for (int round = 0; round < 2000; round++) {
            ByteArrayOutputStream piece = new ByteArrayOutputStream();
            int parts = 1 + random.nextInt(40);
            for (int p = 0; p < parts; p++) {
                if (random.nextInt(10) == 0) {
                    piece.write(random.nextInt(256));
                    continue;
                }
                int r = random.nextInt(tokens);
                byte[] token = new byte[v.length(r)];
                v.copy(r, token, 0);
                // a whole token, or a part of one: BPE boundaries fall inside tokens as often as between
                int from = random.nextInt(3) == 0 ? random.nextInt(token.length + 1) : 0;
                piece.write(token, from, token.length - from);
            }
            byte[] bytes = piece.toByteArray();
            if (bytes.length == 0) {
                continue;
            }

            assertThat(streamed(v, bytes)).as("%s round %d", type, round).isEqualTo(mergeLoop(v, bytes));
        }
    }
}
