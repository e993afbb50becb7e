package dev.finetune4j.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding a call's capture ({@link Captures#feedback}, {@link Captures#find(String)}) from its id's
 * time: the store reads it costs stay a handful however many segments there are (counted, not
 * timed), segments of the layout written before are still found, pruned ones are not, and the
 * segments of two writers on one store are both found.
 */
class CaptureLocateTest {

    private static final Duration WAIT = CaptureTest.WAIT;
    /** The time-ordered collection and the one stores held segments in before it. */
    private static final String SEGMENTS = "capture-segments";
    private static final String LEGACY = "captures";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final List<AutoCloseable> open = new ArrayList<>();
    private GatedStore store;

    private FineTuning start(VersionStore on) {
        FineTuning ft = FineTuning.builder().store(on).clock(clock).provider(new EchoChatProvider()).build();
        open.add(ft);
        if (!ft.assistants().contains("ava")) {
            ft.createAssistant("ava", "openai", CaptureTest.BASE);
        }
        ft.captures().enable("ava", CapturePolicy.builder().build());
        return ft;
    }

    private ChatRouter router(FineTuning ft) {
        ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults());
        open.add(router);
        return router;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** {@code n} calls a second apart, each written as its own segment. */
    private List<String> callsInSegments(FineTuning ft, ChatRouter router, int n, String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(router.chat(ChatRequest.of("ava", prefix + " " + i)).callId());
            assertThat(ft.captures().flush(WAIT)).isTrue();
            clock.advance(Duration.ofSeconds(1));
        }
        return ids;
    }

    private List<StoreKey> keys(FineTuning ft, String collection) {
        List<StoreKey> keys = new ArrayList<>();
        String after = null;
        do {
            var page = store.list(ft.tenant(), collection, after, 1000);
            keys.addAll(page.keys());
            after = page.nextCursor();
        } while (after != null);
        return keys;
    }

    private static String text(Capture c) {
        return c.messages().get(0).content().orElseThrow();
    }

    @Test
    void feedback_amongHundredsOfSegments_readsOneSegment_andListsOnlyTheKeysNearItsTime() {
        store = new GatedStore(VersionStores.inMemory(clock));
        FineTuning ft = start(store);
        ChatRouter router = router(ft);
        List<String> ids = callsInSegments(ft, router, 400, "question");
        assertThat(keys(ft, SEGMENTS)).hasSize(400);
        Captures captures = ft.captures();

        for (int i : new int[] {0, 1, 200, 398, 399}) {
            store.resetCounts();

            Capture rated = captures.feedback(ids.get(i), Feedback.up());

            assertThat(text(rated)).isEqualTo("question " + i);
            // one bounded listing of the time-ordered segments: its first page of 8, not the 400 keys
            assertThat(store.lists(SEGMENTS)).as("listings at call %d", i).isEqualTo(1);
            assertThat(store.listedKeys(SEGMENTS)).as("keys listed at call %d", i).isLessThanOrEqualTo(8);
            // found there: the layout of older stores is not listed
            assertThat(store.lists(LEGACY)).isZero();
            // the segment's record, its feedback (read, then before the write) and the check that a
            // prune did not take the segment meanwhile; one blob
            assertThat(store.latestReads.get()).isLessThanOrEqualTo(4);
            assertThat(store.blobOpens.get()).isEqualTo(1);
        }
        store.resetCounts();
        assertThat(text(captures.find(ids.get(123)).orElseThrow())).isEqualTo("question 123");
        assertThat(store.listedKeys(SEGMENTS)).isLessThanOrEqualTo(8);
        assertThat(captures.find(ids.get(200)).orElseThrow().feedback()).contains(Feedback.up());

        // a query's time range lists the segments of its time too, not all 400
        java.time.Instant from = captures.find(ids.get(300)).orElseThrow().time();
        store.resetCounts();
        try (Stream<Capture> range = captures.find(CaptureQuery.builder("ava").from(from)
                .to(from.plusSeconds(3)).build())) {
            assertThat(range.map(CaptureLocateTest::text)).containsExactly("question 300", "question 301",
                    "question 302");
        }
        assertThat(store.listedKeys(SEGMENTS)).isLessThanOrEqualTo(8 + 16);
        assertThat(store.blobOpens.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void aCallNotCaptured_amongManySegments_isNotFound_afterTheSameBoundedListing() {
        store = new GatedStore(VersionStores.inMemory(clock));
        FineTuning ft = start(store);
        ChatRouter router = router(ft);
        callsInSegments(ft, router, 100, "question");
        ft.captures().disable("ava");
        String notCaptured = router.chat(ChatRequest.of("ava", "not captured")).callId();
        store.resetCounts();

        assertThatThrownBy(() -> ft.captures().feedback(notCaptured, Feedback.up()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(notCaptured);

        assertThat(store.listedKeys(SEGMENTS)).isLessThanOrEqualTo(8);
        assertThat(store.lists(LEGACY)).isEqualTo(1);   // no legacy segment: one empty listing
        assertThat(store.listedKeys(LEGACY)).isZero();
        assertThat(store.blobOpens.get()).isZero();
    }

    @Test
    void callsOfOneBatchSpreadOverSeconds_areCutIntoSegmentsOfAtMostTwoSeconds_andAllFound() {
        store = new GatedStore(VersionStores.inMemory(clock));
        FineTuning ft = start(store);
        ChatRouter router = router(ft);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {   // no flush between: the writer gathers them as one batch
            ids.add(router.chat(ChatRequest.of("ava", "spread " + i)).callId());
            clock.advance(Duration.ofMillis(1500));
        }
        assertThat(ft.captures().flush(WAIT)).isTrue();

        List<StoreKey> segments = keys(ft, SEGMENTS);
        // any three of the calls span 3 s: at least three segments, each within 2 s
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
        for (StoreKey k : segments) {
            String[] times = k.id().substring(0, k.id().indexOf('/')).split("-");   // end, start, random
            assertThat(Long.parseLong(times[0], 16) - Long.parseLong(times[1], 16)).isBetween(0L, 2000L);
            assertThat(k.id()).endsWith("/ava");
        }
        for (int i = 0; i < ids.size(); i++) {
            assertThat(text(ft.captures().feedback(ids.get(i), Feedback.score(0.5)))).isEqualTo("spread " + i);
        }
    }

    @Test
    void aCallIdQuotedInAnotherCapture_andCapturesLongerThanTheReadBuffer_areTellApart() {
        store = new GatedStore(VersionStores.file(dir, clock));
        FineTuning ft = start(store);
        ChatRouter router = router(ft);
        Captures captures = ft.captures();
        captures.disable("ava");
        String notCaptured = router.chat(ChatRequest.of("ava", "off the record")).callId();
        captures.enable("ava", CapturePolicy.builder().build());
        String big = "x".repeat(100_000);   // asked and echoed: a line of 200 KB, the lookup reads 64 KiB at a time
        String quoting = router.chat(ChatRequest.of("ava", "about call " + notCaptured)).callId();
        String large = router.chat(ChatRequest.of("ava", big)).callId();
        String after = router.chat(ChatRequest.of("ava", "after the large one")).callId();
        assertThat(captures.flush(WAIT)).isTrue();

        // the quoted id's text is in a captured line, but that line is another call's
        assertThat(captures.find(notCaptured)).isEmpty();
        assertThatThrownBy(() -> captures.feedback(notCaptured, Feedback.up())).isInstanceOf(NotFoundException.class);
        assertThat(text(captures.find(quoting).orElseThrow())).isEqualTo("about call " + notCaptured);
        assertThat(text(captures.find(large).orElseThrow())).isEqualTo(big);
        assertThat(text(captures.feedback(after, Feedback.up()))).isEqualTo("after the large one");
    }

    /** Moves every segment record to the layout stores were written in before the time-ordered one. */
    private void toLegacyLayout(FineTuning ft) {
        for (StoreKey k : keys(ft, SEGMENTS)) {
            Revision r = store.latest(k).orElseThrow();
            // TO-FROM-RANDOM/assistant there, assistant/FROM-TO-RANDOM before
            String[] times = k.id().substring(0, k.id().indexOf('/')).split("-");
            String assistant = k.id().substring(k.id().indexOf('/') + 1);
            store.write(new StoreKey(ft.tenant(), LEGACY, assistant + "/" + times[1] + "-" + times[0] + "-" + times[2]),
                    r.value(), 0);
            assertThat(store.delete(k)).isTrue();
        }
    }

    @Test
    void segmentsOfTheLegacyLayout_areStillFound_readWithTheNewOnes_andPruned() {
        store = new GatedStore(VersionStores.file(dir, clock));
        FineTuning ft = start(store);
        ChatRouter router = router(ft);
        List<String> old = callsInSegments(ft, router, 5, "legacy");
        toLegacyLayout(ft);
        assertThat(keys(ft, LEGACY)).hasSize(5);
        clock.advance(Duration.ofDays(10));
        List<String> recent = callsInSegments(ft, router, 3, "recent");
        Captures captures = ft.captures();

        store.resetCounts();
        assertThat(text(captures.feedback(old.get(2), Feedback.down().withCorrection("fixed")))).isEqualTo("legacy 2");
        assertThat(store.listedKeys(LEGACY)).isEqualTo(5);   // the fallback lists the legacy segments
        store.resetCounts();
        assertThat(text(captures.feedback(recent.get(1), Feedback.up()))).isEqualTo("recent 1");
        assertThat(store.lists(LEGACY)).isZero();   // found in the time-ordered layout first

        try (Stream<Capture> all = captures.find(CaptureQuery.all("ava"))) {
            assertThat(all.map(CaptureLocateTest::text)).containsExactly("legacy 0", "legacy 1", "legacy 2",
                    "legacy 3", "legacy 4", "recent 0", "recent 1", "recent 2");
        }
        assertThat(captures.find(old.get(2)).orElseThrow().feedback().orElseThrow().correction()).contains("fixed");

        PruneResult r = captures.prune("ava", Duration.ofDays(5));

        assertThat(r.segments()).isEqualTo(5);
        assertThat(r.feedback()).isEqualTo(1);
        assertThat(keys(ft, LEGACY)).isEmpty();
        assertThatThrownBy(() -> captures.feedback(old.get(2), Feedback.up())).isInstanceOf(NotFoundException.class);
        assertThat(captures.find(recent.get(1)).orElseThrow().feedback()).contains(Feedback.up());
        assertThat(store.verify(false).issues()).isEmpty();
    }

    @Test
    void prune_thenFeedback_isNotFound_andThePruneListsOnlyUpToItsCutoff() {
        store = new GatedStore(VersionStores.file(dir, clock));
        FineTuning ft = start(store);
        ChatRouter router = router(ft);
        List<String> old = callsInSegments(ft, router, 40, "old");
        ft.captures().feedback(old.get(39), Feedback.up());
        clock.advance(Duration.ofDays(30));
        List<String> recent = callsInSegments(ft, router, 100, "recent");
        Captures captures = ft.captures();
        store.resetCounts();

        PruneResult r = captures.prune("ava", Duration.ofDays(10));

        assertThat(r.segments()).isEqualTo(40);
        assertThat(r.feedback()).isEqualTo(1);
        // the 40 old keys and the rest of the page that reached past the cutoff, not the 100 newer ones read
        assertThat(store.listedKeys(SEGMENTS)).isLessThan(140);
        assertThat(store.blobOpens.get()).isEqualTo(40);   // only the pruned segments' data is read
        for (String id : List.of(old.get(0), old.get(39))) {
            assertThatThrownBy(() -> captures.feedback(id, Feedback.up())).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("pruned");
            assertThat(captures.find(id)).isEmpty();
        }
        assertThat(text(captures.feedback(recent.get(0), Feedback.up()))).isEqualTo("recent 0");
        assertThat(keys(ft, SEGMENTS)).hasSize(100);
        assertThat(store.verify(false).issues()).isEmpty();
    }

    @Test
    void twoWritersOnOneStore_writingAtTheSameTimes_bothHaveTheirCapturesFound() throws Exception {
        store = new GatedStore(VersionStores.inMemory(clock));
        FineTuning first = start(store);
        FineTuning second = start(store);   // another process's FineTuning: its own capture writer
        ChatRouter r1 = router(first);
        ChatRouter r2 = router(second);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<String>>> sides = new ArrayList<>();
            for (ChatRouter r : List.of(r1, r2)) {
                String who = r == r1 ? "first" : "second";
                sides.add(pool.submit(() -> {
                    go.await();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        ids.add(r.chat(ChatRequest.of("ava", who + " " + i)).callId());
                        if (i % 50 == 49) {
                            clock.advance(Duration.ofMillis(700));
                        }
                    }
                    return ids;
                }));
            }
            go.countDown();
            List<String> ofFirst = sides.get(0).get();
            List<String> ofSecond = sides.get(1).get();
            assertThat(first.captures().flush(WAIT)).isTrue();
            assertThat(second.captures().flush(WAIT)).isTrue();
            assertThat(first.captures().stats().written() + second.captures().stats().written()).isEqualTo(600);

            // each side finds the other's captures too, segments of both interleaved in time
            for (int i = 0; i < 300; i += 7) {
                assertThat(text(first.captures().feedback(ofSecond.get(i), Feedback.up()))).isEqualTo("second " + i);
                assertThat(text(second.captures().feedback(ofFirst.get(i), Feedback.down())))
                        .isEqualTo("first " + i);
            }
            try (Stream<Capture> all = first.captures().find(CaptureQuery.all("ava"))) {
                assertThat(all.count()).isEqualTo(600);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
