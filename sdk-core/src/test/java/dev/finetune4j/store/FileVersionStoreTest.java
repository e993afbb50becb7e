package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.finetune4j.CorruptDataException;
import dev.finetune4j.StoreException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVersionStoreTest extends VersionStoreContract {

    @TempDir
    Path dir;

    @Override
    protected VersionStore open() {
        return VersionStores.file(dir, clock);
    }

    @Override
    protected Tamper tamper() {
        return new FileTamper(dir);
    }

    @Test
    void files_arePlainAndInspectable() throws Exception {
        StoreKey k = new StoreKey(a, "datasets", "avatar-42/main");
        store.write(k, "{\"hello\":\"world\"}", 0);

        Path file = dir.resolve("tenants/tenant-a/records/datasets/avatar-42~main/000000000001.rev");
        assertThat(Files.readString(file)).matches(Pattern.quote(
                "{\"revision\":1,\"created_at\":\"2026-11-21T10:00:00Z\",\"length\":17,\"sha256\":\"")
                + "[0-9a-f]{64}" + Pattern.quote("\"}\n{\"hello\":\"world\"}"));
        assertThat(dir.resolve("finetune4j-store.json")).hasContent("{\"format\":2,\"checksums\":\"sha256\"}");
    }

    @Test
    void reopenedStore_seesEverything() {
        StoreKey k = new StoreKey(a, "things", "x");
        store.write(k, "{\"n\":1}", 0);
        store.write(k, "{\"n\":2}", 1);

        VersionStore reopened = VersionStores.file(dir, clock);

        assertThat(reopened.latest(k).orElseThrow().value()).isEqualTo("{\"n\":2}");
        assertThat(reopened.write(k, "{\"n\":3}", 2).number()).isEqualTo(3);
    }

    @Test
    void staleHeadHint_isCorrectedByProbing() throws Exception {
        StoreKey k = new StoreKey(a, "things", "x");
        store.write(k, "{}", 0);
        store.write(k, "{}", 1);
        Path head = dir.resolve("tenants/tenant-a/records/things/x/head");
        Files.writeString(head, "1");

        assertThat(store.latest(k).orElseThrow().number()).isEqualTo(2);
        Files.delete(head);
        assertThat(store.latest(k).orElseThrow().number()).isEqualTo(2);
    }

    @Test
    void tornRevisionFile_isReportedWithItsPath() throws Exception {
        StoreKey k = new StoreKey(a, "things", "x");
        store.write(k, "{\"n\":1}", 0);
        Path file = dir.resolve("tenants/tenant-a/records/things/x/000000000001.rev");
        Files.writeString(file, "{\"revision\":1,\"created_at\":\"2026-11-21T10:00:00Z\",\"length\":17}\n{\"n\"");

        assertThatThrownBy(() -> store.latest(k))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is damaged: its header says 17 bytes of value, the file has 4");
    }

    @Test
    void corruptBlob_isRefusedWhenRead() throws Exception {
        BlobRef ref = store.putBlob(a, new ByteArrayInputStream("good content".getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve("tenants/tenant-a/blobs/" + ref.id().substring(0, 2) + "/" + ref.id());
        file.toFile().setWritable(true);
        Files.writeString(file, "evil content");

        assertThatThrownBy(() -> {
            try (InputStream in = store.openBlob(a, ref.id())) {
                in.readAllBytes();
            }
        }).isInstanceOf(CorruptDataException.class).hasMessageContaining(file.toString());
    }

    @Test
    void open_removesStaleTempFilesOnly() throws Exception {
        Path old = dir.resolve("tmp/left-over.tmp");
        Path fresh = dir.resolve("tmp/in-progress.tmp");
        Files.writeString(old, "partial");
        Files.writeString(fresh, "partial");
        Files.setLastModifiedTime(old, FileTime.from(Instant.parse("2026-11-21T08:00:00Z")));
        Files.setLastModifiedTime(fresh, FileTime.from(Instant.parse("2026-11-21T09:59:00Z")));

        VersionStores.file(dir, clock);

        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void otherFormat_isRefused() throws Exception {
        Files.writeString(dir.resolve("finetune4j-store.json"), "{\"format\":99}");

        assertThatThrownBy(() -> VersionStores.file(dir, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("has format 99");
    }

    // ---- format 1 stores, staging, repair ----

    private static final String LEGACY_HEADER = "{\"revision\":%d,\"created_at\":\"2026-11-20T09:00:00Z\",\"length\":%d}\n";

    private Path legacyRevision(String id, long number, String value) throws Exception {
        Path file = new FileTamper(dir).revisionFile(new StoreKey(a, "things", id), number);
        Files.createDirectories(file.getParent());
        byte[] body = value.getBytes(StandardCharsets.UTF_8);
        Files.writeString(file, String.format(LEGACY_HEADER, number, body.length) + value);
        return file;
    }

    private Path rawBlob(byte[] content, String id) throws Exception {
        Path file = new FileTamper(dir).blobFile(a, id);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return file;
    }

    private static String sha(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    @Test
    void formatOneStore_isUpgradedOnce_sealingOnlyWhatFormatOneWrote() throws Exception {
        Files.writeString(dir.resolve("finetune4j-store.json"), "{\"format\":1}\n");
        legacyRevision("x", 1, "{\"n\":1}");
        Path mangled = legacyRevision("x", 2, "{\"n\":2}");
        // a format 2 header whose checksum field lost a bit must never pass for format 1
        Files.writeString(mangled, Files.readString(mangled).replace("}\n", ",\"sha2u6\":\"" + "0".repeat(64) + "\"}\n"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(big);
        rawBlob(big, sha(big));
        byte[] other = new byte[2 * 1024 * 1024 + 9];
        new Random(5).nextBytes(other);
        String otherId = sha(other);
        other[5] ^= 1;
        Path damagedBlob = rawBlob(other, otherId);

        VersionStore upgraded = VersionStores.file(dir, clock);

        StoreKey x = new StoreKey(a, "things", "x");
        assertThat(upgraded.read(x, 1).orElseThrow().value()).isEqualTo("{\"n\":1}");
        assertThat(upgraded.read(x, 1).orElseThrow().createdAt()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
        assertThatThrownBy(() -> upgraded.read(x, 2)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining(mangled.toString());
        try (InputStream in = upgraded.openBlob(a, sha(big))) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
        assertThatThrownBy(() -> upgraded.openBlob(a, damagedBlob.getFileName().toString()).read())
                .isInstanceOf(CorruptDataException.class).hasMessageContaining(damagedBlob.toString());
        String marker = Files.readString(dir.resolve("finetune4j-store.json"));
        assertThat(marker).contains("\"format\":2").contains("\"upgraded_from\":1")
                .contains("\"upgraded_at\":\"2026-11-21T10:00:00Z\"").contains("\"sealed_revisions\":1");
        VerifyReport report = upgraded.verify(false);
        assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("upgraded from format 1")
                .contains("1 revision(s) written before then"));
        assertThat(report.damage()).extracting(StoreIssue::location)
                .containsExactlyInAnyOrder(mangled.toString(), damagedBlob.toString());

        byte[] sealed = Files.readAllBytes(new FileTamper(dir).revisionFile(x, 1));
        VersionStores.file(dir, Clock.offset(clock, java.time.Duration.ofDays(1)));
        assertThat(Files.readAllBytes(new FileTamper(dir).revisionFile(x, 1))).isEqualTo(sealed);
        assertThat(Files.readString(dir.resolve("finetune4j-store.json"))).isEqualTo(marker);
    }

    @Test
    void formatTwoMarker_noSingleBitFlip_makesTheStoreReadAsFormatOne() throws Exception {
        Path unsealed = legacyRevision("unsealed", 1, "{\"active_model\":2}");
        byte[] before = Files.readAllBytes(unsealed);
        Path markerFile = dir.resolve("finetune4j-store.json");
        byte[] marker = Files.readAllBytes(markerFile);

        for (int bit = 0; bit < marker.length * 8; bit++) {
            byte[] flipped = marker.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(markerFile, flipped);
            try {
                VersionStores.file(dir, clock);
            } catch (StoreException refused) {
                assertThat(refused).hasMessageContaining(markerFile.getParent().toString());
            }
            assertThat(Files.readAllBytes(unsealed)).as("revision after flipping marker bit %d", bit).isEqualTo(before);
        }
        Files.write(markerFile, marker);
        assertThatThrownBy(() -> store.read(new StoreKey(a, "things", "unsealed"), 1))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("it has no checksum");
    }

    @Test
    void verifyRepair_mendsHintsLeftoversAndChunkTables_andNothingElse() throws Exception {
        StoreKey k = new StoreKey(a, "things", "x");
        store.write(k, "{\"n\":1}", 0);
        store.write(k, "{\"n\":2}", 1);
        Path head = dir.resolve("tenants/tenant-a/records/things/x/head");
        Files.writeString(head, "1");
        byte[] big = new byte[2 * 1024 * 1024 + 5];
        new Random(4).nextBytes(big);
        BlobRef ref = store.putBlob(a, new ByteArrayInputStream(big));
        Path table = new FileTamper(dir).blobFile(a, ref.id()).resolveSibling(ref.id() + ".sums");
        Files.delete(table);
        Path abandoned = dir.resolve("tmp/0f0f0f0f-dead-owner");
        Files.createDirectories(abandoned);
        Files.writeString(abandoned.resolve("owner.lock"), "");
        Files.writeString(abandoned.resolve("segment-1.jsonl"), "{\"user data\":1}");
        Path loose = dir.resolve("tmp/left-over.tmp");
        Files.writeString(loose, "partial");
        Files.setLastModifiedTime(loose, FileTime.from(Instant.parse("2026-11-21T08:00:00Z")));
        Path unexpected = dir.resolve("tenants/tenant-a/records/things/x/notes.txt");
        Files.writeString(unexpected, "mine");

        assertThatThrownBy(() -> store.openBlob(a, ref.id())).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("chunk checksums are missing");
        VerifyReport found = store.verify(false);

        assertThat(found.clean()).isFalse();
        assertThat(found.issues()).extracting(StoreIssue::kind, StoreIssue::location, StoreIssue::repair)
                .containsExactlyInAnyOrder(
                        tuple(StoreIssue.Kind.CHUNK_TABLE_DAMAGED, table.toString(), StoreIssue.Repair.POSSIBLE),
                        tuple(StoreIssue.Kind.STALE_HEAD_HINT, head.toString(), StoreIssue.Repair.POSSIBLE),
                        tuple(StoreIssue.Kind.LEFTOVER, abandoned.toString(), StoreIssue.Repair.POSSIBLE),
                        tuple(StoreIssue.Kind.LEFTOVER, loose.toString(), StoreIssue.Repair.POSSIBLE),
                        tuple(StoreIssue.Kind.UNEXPECTED_FILE, unexpected.toString(), StoreIssue.Repair.NOT_POSSIBLE));
        assertThat(abandoned).exists();

        VerifyReport repaired = store.verify(true);

        assertThat(repaired.clean()).isTrue();
        assertThat(repaired.issues()).filteredOn(i -> i.kind() != StoreIssue.Kind.UNEXPECTED_FILE)
                .extracting(StoreIssue::repair).containsOnly(StoreIssue.Repair.DONE);
        assertThat(head).hasContent("2");
        assertThat(abandoned).doesNotExist();
        assertThat(loose).doesNotExist();
        assertThat(unexpected).hasContent("mine");
        try (InputStream in = store.openBlob(a, ref.id())) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
        assertThat(store.verify(false).issues()).extracting(StoreIssue::kind)
                .containsExactly(StoreIssue.Kind.UNEXPECTED_FILE);
    }

    @Test
    void staging_livesUnderTheStore_isDeletedOnClose_andAbandonedOnesAreSweptAtOpen() throws Exception {
        Path staging = store.stagingDirectory();
        Files.writeString(staging.resolve("segment-1.jsonl"), "user data");
        VersionStore other = VersionStores.file(dir, clock);
        Path otherStaging = other.stagingDirectory();
        Path abandoned = dir.resolve("tmp/0f0f0f0f-dead-owner");
        Files.createDirectories(abandoned);
        Files.writeString(abandoned.resolve("owner.lock"), "");
        Files.writeString(abandoned.resolve("index-1.bin"), "user data");

        VersionStores.file(dir, clock);

        assertThat(staging.getParent()).isEqualTo(dir.toAbsolutePath().resolve("tmp"));
        assertThat(staging).exists();
        assertThat(otherStaging).exists();
        assertThat(abandoned).doesNotExist();
        other.close();
        assertThat(otherStaging).doesNotExist();
        assertThat(staging.resolve("segment-1.jsonl")).hasContent("user data");
    }
}
