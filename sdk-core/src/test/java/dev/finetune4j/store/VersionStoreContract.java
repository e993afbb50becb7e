package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.finetune4j.ConflictException;
import dev.finetune4j.CorruptDataException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.Tenant;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
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
 * The behaviour every {@link VersionStore} must have: numbered revisions without gaps, optimistic
 * concurrency, tenants kept apart, blobs, and integrity (what was damaged at rest is reported, never
 * returned). Each implementation's test extends this class and says how to open a store, and, for a
 * store that keeps bytes, how to damage them behind its back ({@link Tamper}).
 *
 * <p>Published in finetune4j-core's test jar, with {@code DatasetContract} and {@code AssistantContract}
 * (the same stores seen through datasets and assistants), so that a store written outside
 * finetune4j runs the suites the in-memory, file and JDBC stores run:
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>dev.finetune4j</groupId>
 *   <artifactId>finetune4j-core</artifactId>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 *
 * plus JUnit 5 and AssertJ, which the suites assert with (a test jar brings no dependencies).
 */
public abstract class VersionStoreContract {

    protected final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    protected VersionStore store;
    protected final Tenant a = Tenant.of("tenant-a");
    protected final Tenant b = Tenant.of("tenant-b");

    /** Opens a fresh, empty store. */
    protected abstract VersionStore open();

    /**
     * How to damage this store's bytes behind its back; null for a store that keeps objects, not
     * bytes (in-memory), whose integrity cases are then skipped.
     */
    protected Tamper tamper() {
        return null;
    }

    private Tamper requireTamper() {
        Tamper t = tamper();
        assumeTrue(t != null, "the store keeps objects, not bytes: nothing to damage at rest");
        return t;
    }

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
    void list_afterAnyId_startsWithTheNextGreaterId() {
        // capture segments are found by time this way: ids of hex times, listed from a time that is no id
        for (String id : List.of("0190aa-x/ava", "0190ab-y/bob", "0190ab-z/ava", "0190b0-a/ava")) {
            store.write(key(a, id), "{}", 0);
        }

        StorePage page = store.list(a, "things", "0190ab", 2);

        assertThat(page.keys()).extracting(StoreKey::id).containsExactly("0190ab-y/bob", "0190ab-z/ava");
        assertThat(store.list(a, "things", page.nextCursor(), 10).keys()).extracting(StoreKey::id)
                .containsExactly("0190b0-a/ava");
        assertThat(store.list(a, "things", "0190ab-z/ava", 10).keys()).extracting(StoreKey::id)
                .containsExactly("0190b0-a/ava");
        assertThat(store.list(a, "things", "0190b1", 10).keys()).isEmpty();
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
    void delete_removesTheWholeChain_onlyOfThatKey_andAFreshWriteStartsAtOne() {
        StoreKey doomed = key(a, "segments/2026-01");
        StoreKey kept = key(a, "segments/2026-02");
        StoreKey otherTenant = key(b, "segments/2026-01");
        store.write(doomed, "{\"v\":1}", 0);
        store.write(doomed, "{\"v\":2}", 1);
        store.write(kept, "{\"v\":1}", 0);
        store.write(otherTenant, "{\"v\":1}", 0);

        assertThat(store.delete(doomed)).isTrue();

        assertThat(store.latest(doomed)).isEmpty();
        assertThat(store.read(doomed, 1)).isEmpty();
        try (Stream<Revision> h = store.history(doomed)) {
            assertThat(h).isEmpty();
        }
        assertThat(store.list(a, "things", null, 10).keys()).containsExactly(kept);
        assertThat(store.latest(otherTenant).orElseThrow().value()).isEqualTo("{\"v\":1}");
        assertThat(store.delete(doomed)).isFalse();
        assertThat(store.delete(key(a, "never-written"))).isFalse();
        assertThatThrownBy(() -> store.write(doomed, "{}", 2)).isInstanceOf(ConflictException.class);
        assertThat(store.write(doomed, "{\"v\":\"again\"}", 0).number()).isEqualTo(1);
        assertThat(store.verify(false).clean()).isTrue();
    }

    @Test
    void deleteBlob_removesOnlyThatTenantsCopy_andRefusesANonId() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];   // several chunks: a chunk table too
        new Random(7).nextBytes(big);
        BlobRef small = store.putBlob(a, new ByteArrayInputStream("small".getBytes(StandardCharsets.UTF_8)));
        BlobRef large = store.putBlob(a, new ByteArrayInputStream(big));
        store.putBlob(b, new ByteArrayInputStream(big));

        assertThat(store.deleteBlob(a, large.id())).isTrue();

        assertThat(store.hasBlob(a, large.id())).isFalse();
        assertThatThrownBy(() -> store.openBlob(a, large.id())).isInstanceOf(NotFoundException.class);
        assertThat(store.hasBlob(a, small.id())).isTrue();
        try (InputStream in = store.openBlob(b, large.id())) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
        assertThat(store.deleteBlob(a, large.id())).isFalse();
        assertThatThrownBy(() -> store.deleteBlob(a, "../" + "0".repeat(61)))
                .isInstanceOf(IllegalArgumentException.class);
        VerifyReport report = store.verify(false);
        assertThat(report.clean()).isTrue();
        assertThat(report.issues()).isEmpty();
        // storing the content again brings it back whole
        assertThat(store.putBlob(a, new ByteArrayInputStream(big))).isEqualTo(large);
        try (InputStream in = store.openBlob(a, large.id())) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
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

    // ---- integrity: every byte read back is verified ----

    private BlobRef put(Tenant t, byte[] content) {
        return store.putBlob(t, new ByteArrayInputStream(content));
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static final String MODEL = "{\"provider\":\"openai\",\"base_model\":\"gpt-4o-mini-2024-07-18\","
            + "\"active_model\":2,\"note\":\"多语言 ✓\"}";

    @Test
    void verify_onAnIntactStore_findsNothing_andCountsWhatItRead() {
        store.write(key(a, "x"), "{\"n\":1}", 0);
        store.write(key(a, "x"), "{\"n\":2}", 1);
        store.write(key(b, "nested/y"), MODEL, 0);
        byte[] small = "small ✓".getBytes(StandardCharsets.UTF_8);
        byte[] large = random(3 * 1024 * 1024 + 17, 1);
        put(a, small);
        put(b, large);
        put(b, new byte[0]);

        VerifyReport report = store.verify(false);

        assertThat(report.issues()).isEmpty();
        assertThat(report.clean()).isTrue();
        assertThat(report.revisions()).isEqualTo(3);
        assertThat(report.blobs()).isEqualTo(3);
        assertThat(report.blobBytes()).isEqualTo(small.length + large.length);
    }

    @Test
    void revision_anySingleBitFlipped_isRefusedByEveryRead_andVerifyListsEachOne() {
        Tamper t = requireTamper();
        Random random = new Random(22);
        List<String> damaged = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            StoreKey k = key(a, "model-" + i);
            store.write(k, MODEL, 0);
            store.write(k, MODEL.replace("2}", "1}"), 1);
            t.flipBit(k, 2, random);
            String where = t.location(k, 2);

            assertThatThrownBy(() -> store.latest(k)).isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining(where)
                    .satisfies(e -> assertThat(((CorruptDataException) e).location()).isEqualTo(where));
            assertThatThrownBy(() -> store.read(k, 2)).isInstanceOf(CorruptDataException.class);
            assertThatThrownBy(() -> {
                try (Stream<Revision> h = store.history(k)) {
                    h.forEach(r -> assertThat(r.number()).isEqualTo(1));
                }
            }).isInstanceOf(CorruptDataException.class);
            assertThat(store.read(k, 1).orElseThrow().value()).isEqualTo(MODEL);
            damaged.add(where);
        }

        VerifyReport report = store.verify(false);

        assertThat(report.clean()).isFalse();
        assertThat(report.damage()).extracting(StoreIssue::location).containsExactlyInAnyOrderElementsOf(damaged);
        assertThat(report.damage()).allSatisfy(i -> {
            assertThat(i.kind()).isEqualTo(StoreIssue.Kind.REVISION_DAMAGED);
            assertThat(i.repair()).isEqualTo(StoreIssue.Repair.NOT_POSSIBLE);
        });
    }

    @Test
    void revision_valueEditedKeepingEverythingElse_isRefused() {
        Tamper t = requireTamper();
        StoreKey k = key(a, "avatar-42/main");
        store.write(k, "{\"examples\":57,\"log\":[{\"op\":\"add\",\"count\":57}]}", 0);

        t.editValue(k, 1, v -> v.replace("\"count\":57", "\"count\":56"));

        assertThatThrownBy(() -> store.latest(k)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(t.location(k, 1))
                .hasMessageContaining("checksum does not match");
    }

    @Test
    void revision_copiedUnderAnotherKeyOrNumber_isRefused() {
        Tamper t = requireTamper();
        StoreKey selection = key(a, "avatar-42");
        StoreKey other = key(a, "avatar-43");
        store.write(selection, "{\"active_model\":1}", 0);
        store.write(selection, "{\"active_model\":2}", 1);
        store.write(other, "{\"active_model\":7}", 0);

        t.copyRevision(selection, 1, selection, 2);
        t.copyRevision(selection, 1, other, 1);

        assertThatThrownBy(() -> store.latest(selection)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(t.location(selection, 2));
        assertThatThrownBy(() -> store.latest(other)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(t.location(other, 1));
        assertThat(store.read(selection, 1).orElseThrow().value()).isEqualTo("{\"active_model\":1}");
    }

    @Test
    void blob_damagedPastWhereAReaderStops_isRefusedBeforeItsFirstByte() throws Exception {
        Tamper t = requireTamper();
        byte[] content = "{\"weight\":225}\n".repeat(57).getBytes(StandardCharsets.UTF_8);
        BlobRef ref = put(a, content);
        t.flipBlobBit(a, ref.id(), content.length - 5);

        try (InputStream in = store.openBlob(a, ref.id())) {
            assertThatThrownBy(() -> in.read(new byte[16])).isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining(t.location(a, ref.id()));
        }
    }

    @Test
    void blob_damagedInALaterChunk_handsOutOnlyTheVerifiedChunksBeforeIt() throws Exception {
        Tamper t = requireTamper();
        byte[] content = random(3 * 1024 * 1024 + 17, 7);
        BlobRef ref = put(a, content);
        t.flipBlobBit(a, ref.id(), 2 * 1024 * 1024 + 512 * 1024);

        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = store.openBlob(a, ref.id())) {
            assertThatThrownBy(() -> {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                }
            }).isInstanceOf(CorruptDataException.class).hasMessageContaining(t.location(a, ref.id()))
                    .hasMessageContaining("bytes 2097152-3145727 do not match their checksum");
        }
        assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(content, 2 * 1024 * 1024));
    }

    @Test
    void blob_truncated_isRefused_andVerifyReportsIt() throws Exception {
        Tamper t = requireTamper();
        BlobRef ref = put(a, random(3 * 1024 * 1024 + 17, 8));
        t.truncateBlob(a, ref.id(), 1024 * 1024 + 100);

        assertThatThrownBy(() -> {
            try (InputStream in = store.openBlob(a, ref.id())) {
                in.readAllBytes();
            }
        }).isInstanceOf(CorruptDataException.class).hasMessageContaining(t.location(a, ref.id()));
        assertThat(store.verify(false).damage()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(StoreIssue.Kind.BLOB_DAMAGED);
            assertThat(i.location()).isEqualTo(t.location(a, ref.id()));
        });
    }

    @Test
    void blob_storedAgainAfterDamage_isMendedByTheFreshCopy() throws Exception {
        Tamper t = requireTamper();
        byte[] content = random(2 * 1024 * 1024 + 3, 9);
        BlobRef ref = put(a, content);
        t.flipBlobBit(a, ref.id(), 10);

        assertThat(put(a, content)).isEqualTo(ref);

        try (InputStream in = store.openBlob(a, ref.id())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(store.verify(false).clean()).isTrue();
    }

    @Test
    void verify_listsEveryDamagedItem_andRepairNeverTouchesDamage() throws Exception {
        Tamper t = requireTamper();
        StoreKey k = key(b, "job-1");
        store.write(k, "{\"status\":\"running\"}", 0);
        BlobRef flipped = put(a, random(5000, 10));
        BlobRef cut = put(b, random(2 * 1024 * 1024, 11));
        BlobRef intact = put(b, random(100, 12));
        t.editValue(k, 1, v -> v.replace("running", "succeeded"));
        t.flipBlobBit(a, flipped.id(), 4000);
        t.truncateBlob(b, cut.id(), 1000);

        VerifyReport report = store.verify(true);

        assertThat(report.clean()).isFalse();
        assertThat(report.damage()).extracting(StoreIssue::location).containsExactlyInAnyOrder(
                t.location(k, 1), t.location(a, flipped.id()), t.location(b, cut.id()));
        assertThat(report.damage()).extracting(StoreIssue::repair).containsOnly(StoreIssue.Repair.NOT_POSSIBLE);
        assertThatThrownBy(() -> store.latest(k)).isInstanceOf(CorruptDataException.class);
        try (InputStream in = store.openBlob(b, intact.id())) {
            assertThat(in.readAllBytes()).hasSize(100);
        }
    }
}
