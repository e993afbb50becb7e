package dev.finetune4j.internal.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdBloomTest {

    @Test
    void everyAddedIdIsFound_afterARoundTrip_andStrangersRarelyAre() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        long[][] ids = new long[100_000][2];
        IdBloom bloom = IdBloom.forIds(ids.length);
        for (long[] id : ids) {
            id[0] = random.nextLong();
            id[1] = random.nextLong();
            bloom.add(id[0], id[1]);
        }

        IdBloom read = IdBloom.read(new ByteArrayInputStream(bloom.toBytes()));

        for (long[] id : ids) {
            assertThat(read.mightContain(id[0], id[1])).isTrue();
        }
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (read.mightContain(random.nextLong(), random.nextLong())) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).as("expected about 7 in 100,000").isLessThan(50);
    }
}
