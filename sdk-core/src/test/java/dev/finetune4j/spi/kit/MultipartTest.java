package dev.finetune4j.spi.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartTest {

    @TempDir
    Path dir;

    @Test
    void body_hasTheRfc7578Layout_withCrlfsAndTheFileStreamedFromDisk() throws Exception {
        Path file = Files.writeString(dir.resolve("data.jsonl"), "{\"messages\":[]}\n");
        Multipart m = Multipart.builder()
                .field("purpose", "fine-tune")
                .file("file", file, "train.jsonl", "application/jsonl")
                .build();
        String b = m.boundary();

        String body = new String(collect(m.publisher()), StandardCharsets.UTF_8);

        assertThat(body).isEqualTo("--" + b + "\r\n"
                + "Content-Disposition: form-data; name=\"purpose\"\r\n"
                + "\r\n"
                + "fine-tune\r\n"
                + "--" + b + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"train.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n"
                + "\r\n"
                + "{\"messages\":[]}\n\r\n"
                + "--" + b + "--\r\n");
        assertThat(m.contentType()).isEqualTo("multipart/form-data; boundary=" + b);
        assertThat(m.contentLength()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        assertThat(m.publisher().contentLength()).isEqualTo(m.contentLength());
    }

    @Test
    void boundaries_areRandom() {
        Multipart a = Multipart.builder().field("a", "1").build();
        Multipart b = Multipart.builder().field("a", "1").build();

        assertThat(a.boundary()).isNotEqualTo(b.boundary()).startsWith("finetune4j-").hasSize(11 + 32);
    }

    @Test
    void everyPublisher_readsTheFileAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("t.jsonl"), "one\n");
        Multipart m = Multipart.builder().file("file", file, "t.jsonl", "application/octet-stream").build();

        byte[] first = collect(m.publisher());
        Files.writeString(file, "two\n");
        byte[] second = collect(m.publisher());

        assertThat(new String(first, StandardCharsets.UTF_8)).contains("one\n");
        assertThat(new String(second, StandardCharsets.UTF_8)).contains("two\n");
    }

    @Test
    void namesWithQuotesOrLineBreaks_arePercentEncoded_andUtf8StaysAsIs() throws Exception {
        Multipart m = Multipart.builder()
                .bytes("file", "evil\"\r\nname é.jsonl", "application/jsonl", new byte[] {1})
                .build();

        String body = new String(collect(m.publisher()), StandardCharsets.UTF_8);

        assertThat(body).contains("filename=\"evil%22%0D%0Aname é.jsonl\"");
    }

    @Test
    void missingFilesAndEmptyBodies_areRejected() {
        assertThatThrownBy(() -> Multipart.builder().file("file", dir.resolve("nope.jsonl"), "n.jsonl", "application/jsonl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("nope.jsonl: not a readable regular file");
        assertThatThrownBy(() -> Multipart.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a multipart body needs at least one part");
    }

    /** Reads a publisher to the end, as the HTTP client would. */
    static byte[] collect(BodyPublisher publisher) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] b = new byte[item.remaining()];
                item.get(b);
                out.writeBytes(b);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get(10, TimeUnit.SECONDS);
        return out.toByteArray();
    }
}
