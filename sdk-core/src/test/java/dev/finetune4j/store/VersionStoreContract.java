package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.ConflictException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.Tenant;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link VersionStore} must have. Each implementation's test extends this class
 * and says how to open a store.
 */
public abstract class VersionStoreContract {

    protected final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    protected VersionStore store;
    protected final Tenant a = Tenant.of("tenant-a");
    protected final Tenant b = Tenant.of("tenant-b");

    /** Opens a fresh, empty store. */
    protected abstract VersionStore open();

    @BeforeEach
    void setUp() {
        store = open();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private StoreKey key(Tenant t, String id) {
        return new StoreKey(t, "things", id);
    }

    @Test
    void write_thenRead_returnsTheSameValueAndNumbersWithoutGaps() {
        StoreKey k = key(a, "avatar-42/main");
        Revision r1 = store.write(k, "{\"v\":1}", 0);
        Revision r2 = store.write(k, "{\"v\":2, \"text\":\"多语言 ✓\"}", 1);

        assertThat(r1.number()).isEqualTo(1);
        assertThat(r2.number()).isEqualTo(2);
        assertThat(store.latest(k)).contains(r2);
        assertThat(store.read(k, 1)).contains(r1);
        assertThat(store.read(k, 3)).isEmpty();
        assertThat(store.read(k, 0)).isEmpty();
        assertThat(store.latest(k).orElseThrow().value()).isEqualTo("{\"v\":2, \"text\":\"多语言 ✓\"}");
        assertThat(r2.createdAt()).isEqualTo(clock.instant());
        try (Stream<Revision> h = store.history(k)) {
            assertThat(h).extracting(Revision::number).containsExactly(1L, 2L);
        }
    }

    @Test
    void write_withStaleExpectedRevision_conflictsAndCarriesTheCurrentRevision() {
        StoreKey k = key(a, "x");
        store.write(k, "{}", 0);
        store.write(k, "{}", 1);

        assertThatThrownBy(() -> store.write(k, "{}", 1))
                .isInstanceOf(ConflictException.class)
                .satisfies(e -> {
                    assertThat(((ConflictException) e).currentRevision()).isEqualTo(2);
                    assertThat(((ConflictException) e).expectedRevision()).isEqualTo(1);
                });
        assertThatThrownBy(() -> store.write(k, "{}", 0)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store.write(k, "{}", 7)).isInstanceOf(ConflictException.class);
        assertThat(store.latest(k).orElseThrow().number()).isEqualTo(2);
    }

    @Test
    void missingRecord_readsEmpty() {
        StoreKey k = key(a, "nothing");
        assertThat(store.latest(k)).isEmpty();
        try (Stream<Revision> h = store.history(k)) {
            assertThat(h).isEmpty();
        }
    }

    @Test
    void concurrentWriters_eachSuccessGetsADistinctRevision_andTheChainHasNoGaps() throws Exception {
        StoreKey k = key(a, "race");
        int threads = 8;
        int attemptsEach = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<Long> won = ConcurrentHashMap.newKeySet();
        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int id = t;
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < attemptsEach; i++) {
                    long current = store.latest(k).map(Revision::number).orElse(0L);
                    try {
                        Revision r = store.write(k, "{\"t\":" + id + ",\"i\":" + i + "}", current);
                        assertThat(won.add(r.number())).isTrue();
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    }
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        long latest = store.latest(k).orElseThrow().number();
        assertThat(won).hasSize((int) latest);
        assertThat(won.size() + conflicts.get()).isEqualTo(threads * attemptsEach);
        try (Stream<Revision> h = store.history(k)) {
            assertThat(h.map(Revision::number).toList())
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, latest).boxed().toList());
        }
    }

    @Test
    void list_isOrderedAndPaged() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String id = String.format("rec-%02d", 24 - i);
            store.write(key(a, id), "{}", 0);
            ids.add(id);
        }
        store.write(key(a, "nested/child"), "{}", 0);
        store.write(new StoreKey(a, "other", "rec-99"), "{}", 0);
        ids.add("nested/child");
        ids.sort(null);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            StorePage page = store.list(a, "things", cursor, 10);
            page.keys().forEach(k -> seen.add(k.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);

        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void blobs_areContentAddressed() throws Exception {
        byte[] content = "segment ✓\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

        BlobRef ref = store.putBlob(a, new ByteArrayInputStream(content));
        BlobRef again = store.putBlob(a, new ByteArrayInputStream(content));

        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        assertThat(ref).isEqualTo(again).isEqualTo(new BlobRef(sha, content.length));
        assertThat(store.hasBlob(a, sha)).isTrue();
        try (InputStream in = store.openBlob(a, sha)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThatThrownBy(() -> store.openBlob(a, "0".repeat(64))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void tenants_areIsolated_inReadsListsHistoryBlobsAndPurge() throws Exception {
        StoreKey ka = key(a, "same-id");
        StoreKey kb = key(b, "same-id");
        store.write(ka, "{\"owner\":\"a\"}", 0);
        store.write(kb, "{\"owner\":\"b\"}", 0);
        store.write(kb, "{\"owner\":\"b2\"}", 1);
        BlobRef blobA = store.putBlob(a, new ByteArrayInputStream("only a".getBytes(StandardCharsets.UTF_8)));
        BlobRef shared = store.putBlob(b, new ByteArrayInputStream("both".getBytes(StandardCharsets.UTF_8)));
        store.putBlob(a, new ByteArrayInputStream("both".getBytes(StandardCharsets.UTF_8)));

        assertThat(store.latest(ka).orElseThrow().value()).isEqualTo("{\"owner\":\"a\"}");
        assertThat(store.latest(ka).orElseThrow().number()).isEqualTo(1);
        try (Stream<Revision> h = store.history(ka)) {
            assertThat(h).extracting(Revision::value).containsExactly("{\"owner\":\"a\"}");
        }
        assertThat(store.hasBlob(b, blobA.id())).isFalse();
        assertThatThrownBy(() -> store.openBlob(b, blobA.id())).isInstanceOf(NotFoundException.class);

        PurgeReport report = store.purge(a);

        assertThat(report.records()).isEqualTo(1);
        assertThat(report.revisions()).isEqualTo(1);
        assertThat(report.blobs()).isEqualTo(2);
        assertThat(report.bytes()).isEqualTo("only a".length() + "both".length());
        assertThat(store.latest(ka)).isEmpty();
        assertThat(store.list(a, "things", null, 10).keys()).isEmpty();
        assertThat(store.hasBlob(a, shared.id())).isFalse();
        assertThat(store.latest(kb).orElseThrow().value()).isEqualTo("{\"owner\":\"b2\"}");
        assertThat(store.hasBlob(b, shared.id())).isTrue();
        assertThat(store.list(b, "things", null, 10).keys()).extracting(StoreKey::id).containsExactly("same-id");
    }

    @Test
    void keys_rejectTraversalControlCharactersAndOverlongIds() {
        assertThatThrownBy(() -> new StoreKey(a, "things", "../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoreKey(a, "things", "a/../b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoreKey(a, "things", "bad\nname")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\\u000a");
        assertThatThrownBy(() -> new StoreKey(a, "..", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoreKey(a, "things", "x".repeat(201))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tenant.of("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoreKey(a, "things", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
