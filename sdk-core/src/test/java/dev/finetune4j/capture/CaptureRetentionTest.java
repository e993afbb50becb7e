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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention: {@link Captures#prune} and a policy's retention delete whole old segments with their
 * feedback and data, in an order that an interrupted prune cannot turn into dangling references.
 */
class CaptureRetentionTest {

    private static final Duration WAIT = CaptureTest.WAIT;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private GatedStore store;
    private FineTuning ft;
    private ChatRouter router;

    private Captures start(CapturePolicy policy) {
        store = new GatedStore(VersionStores.file(dir, clock));
        ft = FineTuning.builder().store(store).clock(clock).provider(new EchoChatProvider()).build();
        ft.createAssistant("ava", "openai", CaptureTest.BASE);
        ft.captures().enable("ava", policy);
        router = ft.chatRouter(ChatRouter.Options.defaults());
        return ft.captures();
    }

    @AfterEach
    void tearDown() {
        if (router != null) {
            router.close();
        }
        if (ft != null) {
            ft.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** One call, written as its own segment before this returns. */
    private String call(String text) {
        String id = router.chat(ChatRequest.of("ava", text)).callId();
        assertThat(ft.captures().flush(WAIT)).isTrue();
        return id;
    }

    private List<String> segments() {
        return store.list(ft.tenant(), "capture-segments", null, 1000).keys().stream().map(StoreKey::id).toList();
    }

    private List<String> feedbackRecords() {
        return store.list(ft.tenant(), "capture-feedback", null, 1000).keys().stream().map(StoreKey::id).toList();
    }

    private long blobFiles() throws IOException {
        Path blobs = dir.resolve("tenants").resolve(ft.tenant().id()).resolve("blobs");
        if (!Files.exists(blobs)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private List<String> texts(Captures captures) {
        try (Stream<Capture> s = captures.find(CaptureQuery.all("ava"))) {
            return s.map(c -> c.messages().get(0).content().orElseThrow()).toList();
        }
    }

    @Test
    void prune_deletesWholeOldSegmentsWithTheirFeedbackAndData_andKeepsNewerOnes() throws IOException {
        Captures captures = start(CapturePolicy.builder().build());
        String old = call("old question");
        captures.feedback(old, Feedback.down().withCorrection("old fix"));
        clock.advance(Duration.ofDays(100));
        String recent = call("recent question");
        captures.feedback(recent, Feedback.up());
        assertThat(segments()).hasSize(2);
        assertThat(blobFiles()).isEqualTo(2);

        PruneResult r = captures.prune("ava", Duration.ofDays(90));

        assertThat(r.segments()).isEqualTo(1);
        assertThat(r.captures()).isEqualTo(1);
        assertThat(r.feedback()).isEqualTo(1);
        assertThat(r.bytes()).isPositive();
        assertThat(captures.find(old)).isEmpty();
        assertThat(captures.find(recent).orElseThrow().feedback()).isPresent();
        assertThat(texts(captures)).containsExactly("recent question");
        assertThat(segments()).hasSize(1);
        assertThat(feedbackRecords()).containsExactly("ava/" + recent);
        assertThat(blobFiles()).isEqualTo(1);
        assertThat(store.verify(false).issues()).isEmpty();
        assertThatThrownBy(() -> captures.feedback(old, Feedback.up())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("pruned");
        // nothing left that old: a second prune finds nothing
        assertThat(captures.prune("ava", Duration.ofDays(90))).isEqualTo(PruneResult.NONE);
        assertThatThrownBy(() -> captures.prune("ava", Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prune_interruptedBeforeTheData_hidesTheSegment_andTheNextPruneFinishesIt() throws IOException {
        Captures captures = start(CapturePolicy.builder().build());
        String old = call("old question");
        captures.feedback(old, Feedback.up());
        clock.advance(Duration.ofDays(10));
        store.dieDeletingBlobs = true;

        assertThatThrownBy(() -> captures.prune("ava", Duration.ofDays(5))).isInstanceOf(IllegalStateException.class);

        // marked, feedback gone, data still there: readers skip it and nothing reads dangling feedback
        assertThat(segments()).hasSize(1);
        Revision mark = store.latest(new StoreKey(ft.tenant(), "capture-segments", segments().get(0))).orElseThrow();
        assertThat(mark.number()).isEqualTo(2);
        assertThat(mark.value()).contains("\"pruning\":true");
        assertThat(feedbackRecords()).isEmpty();
        assertThat(blobFiles()).isEqualTo(1);
        assertThat(captures.find(old)).isEmpty();
        assertThat(texts(captures)).isEmpty();

        store.dieDeletingBlobs = false;
        PruneResult r = captures.prune("ava", Duration.ofDays(5));

        assertThat(r.segments()).isEqualTo(1);
        assertThat(r.feedback()).isZero();   // deleted by the interrupted run
        assertThat(segments()).isEmpty();
        assertThat(blobFiles()).isZero();
        assertThat(store.verify(false).issues()).isEmpty();
    }

    @Test
    void prune_interruptedBeforeTheRecord_leavesAHiddenRecord_neverARecordReadersFollowToNothing() throws IOException {
        Captures captures = start(CapturePolicy.builder().build());
        String old = call("old question");
        clock.advance(Duration.ofDays(10));
        String recent = call("recent question");
        store.dieDeletingIn = "capture-segments";

        assertThatThrownBy(() -> captures.prune("ava", Duration.ofDays(5))).isInstanceOf(IllegalStateException.class);

        assertThat(segments()).hasSize(2);
        assertThat(blobFiles()).isEqualTo(1);
        // the record whose data is gone is marked: every read path skips it instead of failing
        assertThat(captures.find(old)).isEmpty();
        assertThat(texts(captures)).containsExactly("recent question");
        assertThat(captures.find(recent)).isPresent();

        store.dieDeletingIn = null;
        PruneResult r = captures.prune("ava", Duration.ofDays(5));

        assertThat(r.segments()).isEqualTo(1);
        assertThat(r.bytes()).isZero();   // the data went in the interrupted run
        assertThat(segments()).hasSize(1);
        assertThat(store.verify(false).issues()).isEmpty();
    }

    @Test
    void retention_runsOnTheWriterThread_atMostOnceAnHour() {
        Captures captures = start(CapturePolicy.builder().retention(Duration.ofDays(1)).build());
        call("a at 0h");                          // the first batch runs retention: nothing is old yet
        clock.advance(Duration.ofHours(1));
        call("b at 1h");                          // retention ran an hour after: still nothing a day old
        clock.advance(Duration.ofMinutes(23 * 60 + 30));
        call("c at 24h30");                       // retention: 'a' is older than a day and goes
        assertThat(texts(captures)).containsExactly("b at 1h", "c at 24h30");

        clock.advance(Duration.ofMinutes(45));
        call("d at 25h15");                       // 'b' is now older than a day, but the last run is 45 min old
        assertThat(texts(captures)).containsExactly("b at 1h", "c at 24h30", "d at 25h15");

        clock.advance(Duration.ofMinutes(30));
        call("e at 25h45");                       // 75 min since the last run: 'b' goes
        assertThat(texts(captures)).containsExactly("c at 24h30", "d at 25h15", "e at 25h45");
    }

    @Test
    void applyRetention_appliesEveryPolicysPeriodNow_andOnlyWhereThereIsOne() {
        Captures captures = start(CapturePolicy.builder().retention(Duration.ofDays(30)).build());
        ft.createAssistant("bob", "openai", CaptureTest.BASE);
        captures.enable("bob", CapturePolicy.builder().build());
        call("ava old");
        router.chat(ChatRequest.of("bob", "bob old"));
        assertThat(captures.flush(WAIT)).isTrue();
        clock.advance(Duration.ofDays(31));

        PruneResult r = captures.applyRetention();

        assertThat(r.segments()).isEqualTo(1);
        assertThat(texts(captures)).isEmpty();
        try (Stream<Capture> s = captures.find(CaptureQuery.all("bob"))) {
            assertThat(s).hasSize(1);   // no retention in bob's policy: kept
        }
        assertThat(captures.policy("ava").orElseThrow().retention()).contains(Duration.ofDays(30));
        assertThatThrownBy(() -> CapturePolicy.builder().retention(Duration.ofMinutes(59)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 hour");
    }
}
