package dev.finetune4j.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlobChunksTest {

    private static byte[] sha(byte[] b, int from, int to) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(b, from, to));
    }

    @Test
    void hasher_piecesStraddlingChunkBoundaries_giveTheIdAndOneDigestPerChunk() throws Exception {
        int mib = BlobChunks.SIZE;
        for (int size : new int[] {0, 1, mib - 1, mib, mib + 1, 2 * mib, 3 * mib + 17, 7 * mib + 1}) {
            byte[] content = new byte[size];
            new Random(size).nextBytes(content);
            BlobChunks.Hasher hasher = new BlobChunks.Hasher();
            for (int off = 0; off < size; off += 7777) {
                hasher.update(content, off, Math.min(7777, size - off));
            }
            hasher.finish();

            assertThat(hasher.id()).isEqualTo(HexFormat.of().formatHex(sha(content, 0, size)));
            assertThat(hasher.size()).isEqualTo(size);
            if (size <= mib) {
                assertThat(hasher.table()).as("size %d", size).isNull();
            } else {
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                for (int from = 0; from < size; from += mib) {
                    expected.writeBytes(sha(content, from, Math.min(size, from + mib)));
                }
                assertThat(hasher.table()).as("size %d", size).isEqualTo(expected.toByteArray());
            }
        }
    }
}
