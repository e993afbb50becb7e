package dev.finetune4j.together;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.together.TogetherFixtures.BEARER;
import static dev.finetune4j.together.TogetherFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.Tenant;
import dev.finetune4j.TransportException;
import dev.finetune4j.assistant.WeightsCopy;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Weights on the wire: GET /finetune/download with the checkpoint Together's clients ask for, streamed to disk. */
class TogetherWeightsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String TAG = "ftj-0123456789ab";
    static final String OUTPUT = "acme/Meta-Llama-3.1-8B-Instruct-Reference-" + TAG + "-7f3a2b1c";
    static final String FULL = "{\"type\": \"Full\"}";

    @TempDir
    Path dir;

    private TogetherProvider together;
    private final byte[] archive = new byte[3 * 1024 * 1024 + 17];

    @BeforeEach
    void setUp() {
        wm.resetAll();
        together = TogetherFixtures.provider(wm.baseUrl() + "/v1");
        new Random(17).nextBytes(archive);
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes")).willReturn(okJson("{\"data\": ["
                + job("ft-9", "completed", TAG, "") + "]}")));
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9")).willReturn(okJson(job("ft-9", "completed", TAG, ""))));
        wm.stubFor(get(urlPathEqualTo("/v1/finetune/download")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/octet-stream").withBody(archive)));
    }

    @Test
    void theAdapterOfALoraJob_isStreamedToTheFile_withTheSha256OfEveryByte() throws IOException {
        Path target = dir.resolve("adapter.tar.zst");

        DownloadedWeights w = together.downloadWeights(OUTPUT, WeightsKind.ADAPTER, target);

        assertThat(w.path()).isEqualTo(target);
        assertThat(Files.readAllBytes(target)).isEqualTo(archive);
        assertThat(w.bytes()).isEqualTo(archive.length);
        assertThat(w.sha256()).isEqualTo(sha256(archive));
        assertThat(w.jobId()).isEqualTo("ft-9");
        assertThat(w.checkpoint()).isEqualTo("adapter");
        assertThat(w.checkpointStep()).isEmpty();
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/finetune/download"))
                .withQueryParam("ft_id", equalTo("ft-9"))
                .withQueryParam("checkpoint", equalTo("adapter"))
                .withQueryParam("checkpoint_step", absent())
                .withHeader("Authorization", equalTo(BEARER)));
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(target);
        }
    }

    @Test
    void theDefaultOfALoraJob_isTheMergedModel_andAStepAsksForThatCheckpoint_namedInADirectory() throws IOException {
        wm.stubFor(get(urlPathEqualTo("/v1/finetune/download")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-tar").withBody(archive)));

        DownloadedWeights w = together.downloadWeights("ft-9:40", WeightsKind.DEFAULT, dir);

        assertThat(w.path()).isEqualTo(dir.resolve(
                "acme--Meta-Llama-3.1-8B-Instruct-Reference-ftj-0123456789ab-7f3a2b1c-checkpoint-40.tar.gz"));
        assertThat(w.checkpointStep()).hasValue(40);
        assertThat(w.contentType()).isEqualTo("application/x-tar");
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/finetune/download")).withQueryParam("ft_id", equalTo("ft-9"))
                .withQueryParam("checkpoint_step", equalTo("40")).withQueryParam("checkpoint", equalTo("merged")));
    }

    @Test
    void aFullFineTune_givesItsModelOutputPath_andNoAdapter() throws IOException {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9")).willReturn(okJson(job("ft-9", "completed", TAG, "")
                .replaceFirst("\"training_type\": \\{[^}]*}", "\"training_type\": " + FULL))));

        together.downloadWeights("ft-9", WeightsKind.DEFAULT, dir.resolve("model.tar.zst"));

        wm.verify(getRequestedFor(urlPathEqualTo("/v1/finetune/download"))
                .withQueryParam("checkpoint", equalTo("model_output_path")));
        assertThatThrownBy(() -> together.downloadWeights("ft-9", WeightsKind.ADAPTER, dir.resolve("a.tar.zst")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job ft-9 trained the full model (training_type Full); its weights are "
                        + "WeightsKind.DEFAULT only, not ADAPTER");
        wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/finetune/download")));
    }

    @Test
    void anExistingTargetFile_isNeverOverwritten_andNothingIsAsked() throws IOException {
        Path target = Files.writeString(dir.resolve("mine.tar.zst"), "my own copy");

        assertThatThrownBy(() -> together.downloadWeights(OUTPUT, WeightsKind.ADAPTER, target))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");

        assertThat(Files.readString(target)).isEqualTo("my own copy");
        wm.verify(0, getRequestedFor(urlPathEqualTo("/v1/finetune/download")));
    }

    @Test
    void aDownloadThatBreaksOff_leavesNoFileBehind() throws IOException {
        wm.stubFor(get(urlPathEqualTo("/v1/finetune/download")).willReturn(aResponse()
                .withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        Path target = dir.resolve("adapter.tar.zst");

        assertThatThrownBy(() -> together.downloadWeights(OUTPUT, WeightsKind.ADAPTER, target))
                .isInstanceOf(TransportException.class);

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void storeWeights_streamsIntoTheVersionStore_asABlobWhoseIdIsTheSha256OfTheBytes() throws IOException {
        VersionStore store = VersionStores.file(dir.resolve("store"));

        WeightsCopy copy = together.storeWeights(OUTPUT, WeightsKind.ADAPTER, store, Tenant.DEFAULT);

        assertThat(copy.inStore()).isTrue();
        assertThat(copy.sha256()).isEqualTo(sha256(archive));
        assertThat(copy.bytes()).isEqualTo(archive.length);
        assertThat(copy.kind()).isEqualTo("adapter");
        assertThat(copy.location()).hasToString("blob:" + sha256(archive));
        try (InputStream in = store.openBlob(Tenant.DEFAULT, copy.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(archive);
        }
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/finetune/download"))
                .withQueryParam("ft_id", equalTo("ft-9"))
                .withQueryParam("checkpoint", equalTo("adapter"))
                .withHeader("Authorization", equalTo(BEARER)));
    }

    @Test
    void aDownloadIntoTheStoreThatBreaksOff_storesNothing() {
        wm.stubFor(get(urlPathEqualTo("/v1/finetune/download")).willReturn(aResponse()
                .withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        VersionStore store = VersionStores.file(dir.resolve("store"));

        assertThatThrownBy(() -> together.storeWeights(OUTPUT, WeightsKind.MERGED, store, Tenant.DEFAULT))
                .isInstanceOf(TransportException.class).hasMessageContaining("nothing was kept");

        assertThat(store.purge(Tenant.DEFAULT).blobs()).isZero();
    }

    @Test
    void aDownloadedFile_isTheCopyToRecord_withItsChecksumAndAbsoluteLocation() {
        DownloadedWeights w = together.downloadWeights(OUTPUT, WeightsKind.MERGED, dir);

        WeightsCopy copy = w.copy(Instant.parse("2026-05-04T11:00:00Z"));

        assertThat(copy.inStore()).isFalse();
        assertThat(copy.location()).isEqualTo(w.path().toAbsolutePath().toUri());
        assertThat(copy.sha256()).isEqualTo(sha256(archive));
        assertThat(copy.kind()).isEqualTo("merged");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
