package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Together emulator's dedicated endpoints and hardware list, on the wire. */
class TogetherEmulatorEndpointsTest {

    private static final String BASE = "meta-llama/Llama-3.2-3B-Instruct";
    private static final String H100 = "1x_nvidia_h100_80gb_sxm";

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.builder().user("acme").build();

    private final Http http = new Http(together.baseUrl());

    @BeforeEach
    void reset() {
        together.reset();
    }

    private JsonNode create(String displayName) throws Exception {
        Http.Response r = http.postJson("/endpoints", Map.of("model", BASE, "hardware", H100,
                "autoscaling", Map.of("min_replicas", 1, "max_replicas", 2), "display_name", displayName));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private int chat(String model) throws Exception {
        return http.postJson("/chat/completions", Map.of("model", model, "max_tokens", 20,
                "messages", List.of(Map.of("role", "user", "content", "hello")))).status();
    }

    private int patch(String id, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(together.baseUrl() + "/endpoints/"
                        + id)).header("Authorization", "Bearer " + together.clientKey())
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void hardwareList_pricesPerMinute_theH100AtTogethersPublishedPrice() throws Exception {
        JsonNode list = http.get("/hardware?model=" + BASE).json();

        assertThat(list.path("object").asText()).isEqualTo("list");
        JsonNode h100 = null;
        for (JsonNode h : list.path("data")) {
            if (h.path("id").asText().equals(H100)) {
                h100 = h;
            }
        }
        assertThat(h100).isNotNull();
        assertThat(h100.path("pricing").path("cents_per_minute").decimalValue()).isEqualByComparingTo("6.65");
        assertThat(h100.path("availability").path("status").asText()).isEqualTo("available");
        assertThat(http.get("/hardware?model=acme/nothing").status()).isEqualTo(404);
    }

    @Test
    void anEndpointStartsOneStatePerRead_servesChatOnlyWhenStarted_stopsAndIsDeleted() throws Exception {
        JsonNode created = create("ftd-0123456789ab parser v1");
        String id = created.path("id").asText();
        String name = created.path("name").asText();
        assertThat(id).startsWith("endpoint-");
        assertThat(name).startsWith("acme/" + BASE + "-");
        assertThat(created.path("state").asText()).isEqualTo("PENDING");
        assertThat(created.path("autoscaling").path("max_replicas").asInt()).isEqualTo(2);
        assertThat(chat(name)).as("not started yet").isEqualTo(503);

        assertThat(http.get("/endpoints/" + id).json().path("state").asText()).isEqualTo("STARTING");
        assertThat(http.get("/endpoints/" + id).json().path("state").asText()).isEqualTo("STARTED");
        assertThat(chat(name)).isEqualTo(200);

        EmulatedDedicatedEndpoint seen = together.endpoint(id).orElseThrow();
        assertThat(seen.state()).isEqualTo("STARTED");
        assertThat(seen.chatRequests()).isEqualTo(2);
        assertThat(seen.pricePerHour()).isEqualByComparingTo(new BigDecimal("3.99"));
        assertThat(seen.displayName()).isEqualTo("ftd-0123456789ab parser v1");

        JsonNode listed = http.get("/endpoints?type=dedicated&mine=true").json().path("data");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("display_name")).as("ListEndpoint carries no display_name").isFalse();

        assertThat(patch(id, "{\"state\":\"STOPPED\"}")).isEqualTo(200);
        assertThat(together.endpoint(id).orElseThrow().state()).isEqualTo("STOPPED");
        assertThat(chat(name)).isEqualTo(503);
        assertThat(patch(id, "{\"autoscaling\":{\"min_replicas\":3,\"max_replicas\":2}}")).isEqualTo(400);

        assertThat(http.delete("/endpoints/" + id).status()).isEqualTo(204);
        assertThat(http.get("/endpoints/" + id).status()).isEqualTo(404);
        assertThat(together.endpoints()).isEmpty();
    }

    @Test
    void aCreateWithoutHardwareOrWithUnknownHardwareIsRefused_andNothingIsCreated() throws Exception {
        Http.Response none = http.postJson("/endpoints", Map.of("model", BASE,
                "autoscaling", Map.of("min_replicas", 1, "max_replicas", 1)));
        Http.Response unknown = http.postJson("/endpoints", Map.of("model", BASE, "hardware", "1x_nvidia_z9",
                "autoscaling", Map.of("min_replicas", 1, "max_replicas", 1)));

        assertThat(none.status()).isEqualTo(400);
        assertThat(none.text()).contains("hardware is required");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains("1x_nvidia_z9");
        assertThat(together.endpoints()).isEmpty();
    }

    @Test
    void aScriptedFailure_endsInError() throws Exception {
        together.failNextEndpoint("no capacity");
        String id = create("ftd-0123456789ab parser v1").path("id").asText();

        together.advanceEndpoint(id).advanceEndpoint(id);

        assertThat(together.endpoint(id).orElseThrow().state()).isEqualTo("ERROR");
    }

    @Test
    void timedProgression_startsAnEndpointWithTheEmulatorsClock_manualOnlyWhenTold() throws Exception {
        try (TogetherEmulator timed = TogetherEmulator.builder().progression(JobProgression.timed(Duration.ofMinutes(5)))
                .start(); TogetherEmulator manual = TogetherEmulator.builder().progression(JobProgression.manual())
                .start()) {
            List<String> states = new ArrayList<>();
            Http h = new Http(timed.baseUrl());
            String id = h.postJson("/endpoints", Map.of("model", BASE, "hardware", H100, "autoscaling",
                    Map.of("min_replicas", 1, "max_replicas", 1))).json().path("id").asText();
            for (int i = 0; i < 3; i++) {
                states.add(h.get("/endpoints/" + id).json().path("state").asText());
                states.add(h.get("/endpoints/" + id).json().path("state").asText());
                timed.advanceTime(Duration.ofMinutes(5));
            }
            assertThat(states).containsExactly("PENDING", "PENDING", "STARTING", "STARTING", "STARTED", "STARTED");

            Http m = new Http(manual.baseUrl());
            String other = m.postJson("/endpoints", Map.of("model", BASE, "hardware", H100, "autoscaling",
                    Map.of("min_replicas", 1, "max_replicas", 1))).json().path("id").asText();
            assertThat(m.get("/endpoints/" + other).json().path("state").asText()).isEqualTo("PENDING");
            manual.advanceEndpoint(other).advanceEndpoint(other);
            assertThat(m.get("/endpoints/" + other).json().path("state").asText()).isEqualTo("STARTED");
        }
    }
}
