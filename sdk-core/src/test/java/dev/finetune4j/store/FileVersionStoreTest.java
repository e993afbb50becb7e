package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.StoreException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVersionStoreTest extends VersionStoreContract {

    @TempDir
    Path dir;

    @Override
    protected VersionStore open() {
        return VersionStores.file(dir, clock);
    }

    @Test
    void files_arePlainAndInspectable() throws Exception {
        StoreKey k = new StoreKey(a, "datasets", "avatar-42/main");
        store.write(k, "{\"hello\":\"world\"}", 0);

        Path file = dir.resolve("tenants/tenant-a/records/datasets/avatar-42~main/000000000001.rev");
        assertThat(Files.readString(file)).isEqualTo(
                "{\"revision\":1,\"created_at\":\"2026-11-21T10:00:00Z\",\"length\":17}\n{\"hello\":\"world\"}");
        assertThat(dir.resolve("finetune4j-store.json")).hasContent("{\"format\":1}");
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
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("corrupt");
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
        }).isInstanceOf(StoreException.class).hasMessageContaining(file.toString());
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
}
