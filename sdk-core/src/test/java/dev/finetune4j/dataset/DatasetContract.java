package dev.finetune4j.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune4j.CorruptDataException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.Tenant;
import dev.finetune4j.ValidationException;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.Tamper;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dataset behaviour every {@link VersionStore} must give: appends, versions, splits, tags, integrity
 * of what is read back, concurrent writers. Each store's test extends this class and says how to
 * open a store; published in sdk-core's test jar for stores written outside finetune4j (see {@code
 * VersionStoreContract}).
 */
public abstract class DatasetContract {

    /** Opens a fresh store for one test. */
    protected abstract VersionStore openStore(Clock clock);

    /** How to damage the store behind its back; null when it keeps objects, not bytes (in-memory). */
    protected Tamper tamper() {
        return null;
    }


    protected final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    private VersionStore store;
    private FineTuning ft;
    private Dataset dataset;

    @BeforeEach
    void open() {
        store = openStore(clock);
        ft = FineTuning.builder().store(store).clock(clock).build();
        dataset = ft.dataset("avatar-42/main");
    }

    static Example example(String lang, int i) {
        return Example.builder()
                .message(Message.system("You are Ava."))
                .message(Message.user(lang + " question " + i))
                .message(Message.assistant(lang + " answer " + i))
                .tag(Example.TAG_LANGUAGE, lang)
                .build();
    }

    static List<Example> examples(String lang, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> example(lang, i)).toList();
    }

    private List<Example> read(DatasetVersion v) {
        try (Stream<Example> s = dataset.examples(v)) {
            return s.toList();
        }
    }

    @Test
    void append_firstThenMore_makesVersionsThatStoreOnlyTheDelta() {
        AppendResult v1 = dataset.append(examples("en", 0, 44), "44 English examples");
        AppendResult v2 = dataset.append(examples("zh", 0, 50), "+50 Chinese");

        assertThat(v1.created()).isTrue();
        assertThat(v1.version().orElseThrow().number()).isEqualTo(1);
        assertThat(v1.version().orElseThrow().parentId()).isEmpty();
        DatasetVersion second = v2.version().orElseThrow();
        assertThat(second.number()).isEqualTo(2);
        assertThat(second.parentId()).contains(v1.version().orElseThrow().id());
        assertThat(second.examples()).isEqualTo(94);
        assertThat(second.added()).isEqualTo(50);
        assertThat(second.note()).contains("+50 Chinese");
        assertThat(second.createdAt()).isEqualTo(clock.instant());
        assertThat(read(second)).hasSize(94).startsWith(example("en", 0)).endsWith(example("zh", 49));
        assertThat(read(v1.version().orElseThrow())).hasSize(44);
        assertThat(dataset.history()).extracting(DatasetVersion::number).containsExactly(1, 2);
    }

    @Test
    void append_examplesTheParentHas_areSkippedAndReportedWithTheirVersion() {
        dataset.append(examples("en", 0, 10), null);

        AppendResult r = dataset.append(examples("en", 5, 15), null);

        assertThat(r.added()).isEqualTo(5);
        assertThat(r.duplicates()).isEqualTo(5);
        assertThat(r.report().issues()).hasSize(5).allSatisfy(i -> {
            assertThat(i.code()).isEqualTo(IssueCode.DUPLICATE);
            assertThat(i.message()).contains("added in version 1");
        });
        assertThat(r.report().issues()).extracting(ValidationIssue::line).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(r.version().orElseThrow().examples()).isEqualTo(15);
        assertThat(read(r.version().orElseThrow())).doesNotHaveDuplicates().hasSize(15);
    }

    @Test
    void append_onlyKnownExamples_createsNoVersion() {
        DatasetVersion v1 = dataset.append(examples("en", 0, 10), null).version().orElseThrow();

        AppendResult again = dataset.append(examples("en", 0, 10), null);

        assertThat(again.created()).isFalse();
        assertThat(again.version()).contains(v1);
        assertThat(again.duplicates()).isEqualTo(10);
        assertThat(dataset.history()).hasSize(1);
    }

    @Test
    void versionId_isDerivedFromContent_sameChangeSameId() {
        String id1 = dataset.append(examples("en", 0, 10), "a").version().orElseThrow().id();
        Dataset other = FineTuning.builder().store(VersionStores.inMemory()).build().dataset("avatar-42/main");
        String id2 = other.append(examples("en", 0, 10), "different note").version().orElseThrow().id();
        String id3 = ft.dataset("avatar-42/other").append(examples("en", 0, 11), null).version().orElseThrow().id();

        assertThat(id1).isEqualTo(id2).startsWith("dv-").hasSize(23);
        assertThat(id3).isNotEqualTo(id1);
    }

    @Test
    void remove_thenReadd_followsTheLog() {
        dataset.append(examples("en", 0, 10), null);
        Example gone = example("en", 3);

        DatasetVersion v2 = dataset.remove(List.of(gone.id()), "bad answer");
        assertThat(v2.examples()).isEqualTo(9);
        assertThat(v2.removed()).isEqualTo(1);
        assertThat(read(v2)).doesNotContain(gone).hasSize(9);

        AppendResult v3 = dataset.append(List.of(gone), "fixed");
        assertThat(v3.added()).isEqualTo(1);
        assertThat(read(v3.version().orElseThrow())).contains(gone).hasSize(10);
        assertThat(read(dataset.version("1"))).hasSize(10);
        assertThat(read(dataset.version("v2"))).hasSize(9);
    }

    @Test
    void remove_unknownId_throwsAndStoresNothing() {
        dataset.append(examples("en", 0, 3), null);

        assertThatThrownBy(() -> dataset.remove(List.of(example("en", 1).id(), "0".repeat(32)), null))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("dataset 'avatar-42/main' version 1 has no example " + "0".repeat(32) + "; nothing was removed");
        assertThat(dataset.history()).hasSize(1);
    }

    @Test
    void importJsonl_strict_withOneBadLine_storesNothing() {
        String input = examples("en", 0, 3).stream().map(Example::toJson).collect(Collectors.joining("\n"))
                + "\n{\"messages\":[]}\n";

        assertThatThrownBy(() -> dataset.importJsonl(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                ImportOptions.builder().strict(true).build(), null))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("nothing was stored")
                .hasMessageContaining("line 4: missing_messages_list");
        assertThat(dataset.latest()).isEmpty();
    }

    @Test
    void importJsonl_lenient_keepsGoodLinesAndTags() {
        String input = examples("en", 0, 3).stream().map(Example::toJson).collect(Collectors.joining("\n"))
                + "\nnot json\n";

        AppendResult r = dataset.importJsonl(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                ImportOptions.builder().tag("source", "import").build(), "first import");

        assertThat(r.added()).isEqualTo(3);
        assertThat(r.invalid()).isEqualTo(1);
        assertThat(read(r.version().orElseThrow())).allSatisfy(e -> assertThat(e.tags()).containsEntry("source", "import"));
    }

    @Test
    void split_isStableAcrossVersions_andCoversEveryExampleOnce() {
        DatasetVersion v1 = dataset.append(examples("en", 0, 200), null).version().orElseThrow();
        DatasetVersion v2 = dataset.append(examples("zh", 0, 300), null).version().orElseThrow();

        Set<Example> val1;
        Set<Example> val2;
        List<Example> train2;
        try (Stream<Example> a = dataset.examples(v1, Split.VALIDATION);
                Stream<Example> b = dataset.examples(v2, Split.VALIDATION);
                Stream<Example> c = dataset.examples(v2, Split.TRAIN)) {
            val1 = a.collect(Collectors.toSet());
            val2 = b.collect(Collectors.toSet());
            train2 = c.toList();
        }
        assertThat(val2).containsAll(val1);
        assertThat(train2).doesNotContainAnyElementsOf(val2);
        assertThat(train2.size() + val2.size()).isEqualTo(500);
        assertThat(val2.size()).isBetween(25, 80);
    }

    @Test
    void concurrentAppends_eachLandInTheirOwnVersion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<AppendResult>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String lang = "t" + t;
            futures.add(pool.submit(() -> dataset.append(examples(lang, 0, 20), lang)));
        }
        for (Future<AppendResult> f : futures) {
            assertThat(f.get().created()).isTrue();
        }
        pool.shutdown();

        DatasetVersion latest = dataset.latest().orElseThrow();
        assertThat(latest.number()).isEqualTo(8);
        assertThat(latest.examples()).isEqualTo(160);
        assertThat(read(latest)).hasSize(160).doesNotHaveDuplicates();
    }

    @Test
    void version_unknown_isNotFoundWithAHint() {
        dataset.append(examples("en", 0, 2), null);

        assertThatThrownBy(() -> dataset.version("7")).isInstanceOf(NotFoundException.class)
                .hasMessage("dataset 'avatar-42/main' has no version 7");
        assertThatThrownBy(() -> dataset.version("dv-nope")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("use a number, an id (dv-...) or latest");
    }

    @Test
    void datasets_listsAnAssistantsDatasets() {
        ft.dataset("a/x").append(examples("en", 0, 1), null);
        ft.dataset("a-b/y").append(examples("en", 0, 1), null);
        dataset.append(examples("en", 0, 1), null);
        ft.dataset("avatar-42/zeta").append(examples("en", 0, 1), null);

        assertThat(ft.datasets("avatar-42")).containsExactly("main", "zeta");
        assertThat(ft.datasets("a")).containsExactly("x");
    }

    @Test
    void count_bySplit_matchesTheStreams_andRetrainAdviceUsesTheHistory() {
        DatasetVersion v1 = dataset.append(examples("en", 0, 44), "44 English").version().orElseThrow();
        dataset.append(examples("zh", 0, 50), "+50 Chinese");
        DatasetVersion v3 = dataset.remove(List.of(example("en", 0).id()), null);

        long train = dataset.count(v3, Split.TRAIN);
        long validation = dataset.count(v3, Split.VALIDATION);
        try (Stream<Example> t = dataset.examples(v3, Split.TRAIN)) {
            assertThat(t.count()).isEqualTo(train);
        }
        assertThat(train + validation).isEqualTo(93);

        dev.finetune4j.policy.RetrainAdvice advice = dataset.retrainAdvice(v1, v3,
                dev.finetune4j.policy.TrainingPolicy.defaults(), false);
        assertThat(advice.newExamples()).isEqualTo(50);
        assertThat(advice.removedExamples()).isEqualTo(1);
        assertThat(advice.retrainRecommended()).isTrue();
        assertThat(advice.recommendation()).isEqualTo(dev.finetune4j.policy.RetrainAdvice.Recommendation.RETRAIN_FROM_BASE);
    }

    // ---- integrity: damaged content is refused, never returned, never built on ----

    private Tamper requireTamper() {
        Tamper t = tamper();
        assumeTrue(t != null, "the store keeps objects, not bytes: nothing to damage at rest");
        return t;
    }

    private final StoreKey manifestKey = new StoreKey(Tenant.DEFAULT, "datasets", "avatar-42/main");

    /** The blob ids a version's manifest names for {@code field} (blob, index or bloom), in log order. */
    private List<String> blobs(int version, String field) {
        try {
            JsonNode manifest = new ObjectMapper().readTree(store.read(manifestKey, version).orElseThrow().value());
            List<String> ids = new ArrayList<>();
            manifest.get("log").forEach(e -> {
                if (e.hasNonNull(field)) {
                    ids.add(e.get(field).asText());
                }
            });
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] blobBytes(String id) {
        try (InputStream in = store.openBlob(Tenant.DEFAULT, id)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a version as an exporter does, keeping what was handed out before any failure. */
    private RuntimeException readInto(DatasetVersion v, List<Example> got) {
        try (Stream<Example> s = dataset.examples(v)) {
            s.forEach(got::add);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void examples_byteFlippedWhereAReaderThatStopsAtTheCountNeverLooks_isRefusedWithItsLocation_andNothingIsReturned() {
        Tamper t = requireTamper();
        DatasetVersion v = dataset.append(examples("en", 0, 57), null).version().orElseThrow();
        String segment = blobs(1, "blob").get(0);
        int offset = new String(blobBytes(segment), StandardCharsets.ISO_8859_1).indexOf("en answer 30");
        t.flipBlobBit(Tenant.DEFAULT, segment, offset + 3);

        List<Example> got = new ArrayList<>();
        RuntimeException failure = readInto(v, got);

        assertThat(failure).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(t.location(Tenant.DEFAULT, segment));
        assertThat(got).isEmpty();
        assertThatThrownBy(() -> {
            try (Stream<Example> first = dataset.examples(v)) {
                first.limit(5).toList();
            }
        }).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void examples_damageInALaterChunk_everyExampleHandedOutBeforeTheRefusalIsIntact() {
        Tamper t = requireTamper();
        List<Example> originals = IntStream.range(0, 2500).mapToObj(i -> Example.of(Message.user("question " + i
                + " " + "x".repeat(1000)), Message.assistant("answer " + i))).toList();
        DatasetVersion v = dataset.append(originals, null).version().orElseThrow();
        String segment = blobs(1, "blob").get(0);
        t.flipBlobBit(Tenant.DEFAULT, segment, 2 * 1024 * 1024 + 4321);

        List<Example> got = new ArrayList<>();
        RuntimeException failure = readInto(v, got);

        assertThat(failure).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(t.location(Tenant.DEFAULT, segment));
        assertThat(got).isNotEmpty().hasSizeLessThan(originals.size())
                .containsExactlyElementsOf(originals.subList(0, got.size()));
    }

    @Test
    void reappend_afterItsIdIndexWasDamaged_isRefused_andCreatesNoDuplicateVersion() {
        Tamper t = requireTamper();
        dataset.append(examples("en", 0, 57), null);
        String index = blobs(1, "index").get(0);
        t.flipBlobBit(Tenant.DEFAULT, index, 16 * 30 + 3);

        assertThatThrownBy(() -> dataset.append(examples("en", 0, 57), null))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(t.location(Tenant.DEFAULT, index));
        assertThat(dataset.history()).hasSize(1);
    }

    @Test
    void append_onAVersionWhoseBloomFilterIsDamaged_isRefused() {
        Tamper t = requireTamper();
        dataset.append(examples("en", 0, 57), null);
        String bloom = blobs(1, "bloom").get(0);
        t.flipBlobBit(Tenant.DEFAULT, bloom, 20);

        assertThatThrownBy(() -> dataset.append(examples("de", 0, 5), null))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(t.location(Tenant.DEFAULT, bloom));
        assertThat(dataset.history()).hasSize(1);
    }

    @Test
    void manifest_countEditedFrom57To56_isRefusedByEveryRead() {
        Tamper t = requireTamper();
        dataset.append(examples("en", 0, 57), null);

        t.editValue(manifestKey, 1, v -> v.replace("\"count\":57", "\"count\":56"));

        assertThatThrownBy(() -> dataset.latest()).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(t.location(manifestKey, 1));
        assertThatThrownBy(() -> dataset.version("1")).isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> dataset.history()).isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> dataset.append(examples("de", 0, 5), null)).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void append_onAVersionWhoseSegmentIsMissing_isRefused_andNothingIsStored() {
        Tamper t = requireTamper();
        DatasetVersion v1 = dataset.append(examples("en", 0, 10), null).version().orElseThrow();
        String segment = blobs(1, "blob").get(0);
        t.deleteBlob(Tenant.DEFAULT, segment);

        assertThatThrownBy(() -> dataset.append(examples("zh", 0, 5), "more"))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("'avatar-42/main' version 1 cannot be built on: its segment blob " + segment
                        + " is missing from the store")
                .hasMessageContaining("nothing was stored");
        assertThatThrownBy(() -> dataset.remove(List.of(example("en", 1).id()), null))
                .isInstanceOf(CorruptDataException.class);
        assertThat(dataset.history()).containsExactly(v1);
        assertThat(readInto(v1, new ArrayList<>())).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("segment blob " + segment + " is missing from the store");
    }
}
