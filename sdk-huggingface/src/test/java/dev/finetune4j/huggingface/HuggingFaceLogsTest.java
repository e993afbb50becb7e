package dev.finetune4j.huggingface;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.EventPage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HuggingFaceLogsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String JOB_ID = "6870d1b2c3d4e5f6a7b8c9d0";
    static final String LOGS = "/api/jobs/acme/" + JOB_ID + "/logs";

    static final List<String> LINES = List.of(
            "===== Job started at 2026-11-21 10:01:00 =====",
            "finetune4j: acme/huggingface-data@c0ffee: train 40 examples, validation 4 examples",
            "/usr/lib/python3/site-packages/transformers/training_args.py:1: FutureWarning: `x` is deprecated",
            "{'loss': '2.134', 'grad_norm': '1.52', 'learning_rate': '0.0002', 'mean_token_accuracy': '0.55', 'epoch': '0.5'}",
            "{'loss': '1.875', 'grad_norm': '1.1', 'learning_rate': '0.0001', 'mean_token_accuracy': '0.6', 'epoch': '1.0'}",
            "{'eval_loss': '1.8', 'eval_runtime': '0.5', 'eval_samples_per_second': '8', 'eval_steps_per_second': '2', "
                    + "'eval_mean_token_accuracy': '0.61', 'epoch': '1.0'}",
            "{'train_runtime': '30.12', 'train_samples_per_second': '3.98', 'train_steps_per_second': '0.5', "
                    + "'train_loss': '2.0', 'epoch': '1.0'}",
            "Traceback (most recent call last):",
            "RuntimeError: CUDA out of memory");

    /** The Jobs log stream: one event per line, keep-alive comments between. */
    static String sse(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append("data: {\"data\":\"").append(lines.get(i)).append("\",\"timestamp\":\"")
                    .append(Instant.parse("2026-11-21T10:01:00Z").plusSeconds(i)).append("\"}\n\n");
            if (i == 2) {
                sb.append(": keep-alive\n\n");
            }
        }
        return sb.toString();
    }

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private HuggingFaceProvider hf;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        hf = TestSupport.provider(TestSupport.config(wm, time).build());
        wm.stubFor(get(LOGS).willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
                .withBody(sse(LINES))));
    }

    @Test
    void events_areTheLogLines_withTheirTimes_levels_andMetrics_andTheCursorCountsLines() {
        EventPage page = hf.events(JOB_ID, null);

        List<JobEvent> events = page.events();
        assertThat(events).extracting(JobEvent::message).containsExactlyElementsOf(LINES);
        assertThat(events).extracting(JobEvent::id).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(events.get(0).at()).isEqualTo(Instant.parse("2026-11-21T10:01:00Z"));
        assertThat(events).extracting(JobEvent::level).containsExactly("info", "info", "warn", "info", "info", "info",
                "info", "error", "error");
        assertThat(events.get(3).metrics()).containsEntry("train_loss", 2.134).containsEntry("epoch", 0.5);
        assertThat(events.get(5).metrics()).containsEntry("valid_loss", 1.8);
        assertThat(events.get(0).metrics()).isEmpty();
        assertThat(page.cursor()).isEqualTo("9");
        wm.verify(getRequestedFor(urlPathEqualTo(LOGS)).withHeader("Accept",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("text/event-stream")));
    }

    @Test
    void events_afterACursor_areOnlyTheNewLines_andNoneKeepTheCursor() {
        EventPage rest = hf.events(JOB_ID, "6");
        assertThat(rest.events()).extracting(JobEvent::id).containsExactly("7", "8", "9");
        assertThat(rest.cursor()).isEqualTo("9");

        EventPage none = hf.events(JOB_ID, "9");
        assertThat(none.events()).isEmpty();
        assertThat(none.cursor()).isEqualTo("9");
    }

    @Test
    void metrics_fromTheLogs_lastPointHasTrainAndValidationLoss() {
        List<MetricPoint> points = hf.metrics(JOB_ID);

        assertThat(points).extracting(MetricPoint::step).containsExactly(1L, 2L);
        assertThat(points.get(1).values()).containsEntry("train_loss", 1.875).containsEntry("valid_loss", 1.8)
                .containsEntry("valid_mean_token_accuracy", 0.61).containsEntry("train_loss_average", 2.0);
    }

    @Test
    void aRunningJobsStream_thatStaysOpen_isReadUntilIdle_notFollowedForever() throws Exception {
        // A server that sends four lines and a keep-alive, then holds the stream open as the Jobs API does
        // for a running job (WireMock can only delay a body, not hold it open).
        byte[] lines = (sse(LINES.subList(0, 4)) + ": keep-alive\n\n").getBytes(StandardCharsets.UTF_8);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/jobs/acme/bbbbbbbbbbbbbbbbbbbbbbbb/logs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(lines);
                out.flush();
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException | IOException e) {
                // the client went away: that is the point
            }
        });
        server.start();
        try {
            HuggingFaceProvider quick = TestSupport.provider(TestSupport.config(wm, time)
                    .endpoint(URI.create("http://localhost:" + server.getAddress().getPort()))
                    .setting("logs_idle_seconds", "1").setting("logs_max_seconds", "30").build());

            EventPage page = quick.events("bbbbbbbbbbbbbbbbbbbbbbbb", null);

            assertThat(page.events()).extracting(JobEvent::message).containsExactlyElementsOf(LINES.subList(0, 4));
            assertThat(page.cursor()).isEqualTo("4");
            assertThat(release.getCount()).as("returned while the server still held the stream open").isEqualTo(1);
        } finally {
            release.countDown();
            server.stop(0);
        }
    }
}
