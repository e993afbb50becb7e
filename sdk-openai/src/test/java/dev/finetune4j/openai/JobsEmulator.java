package dev.finetune4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WireMock extension that keeps the state of OpenAI's files and fine-tuning jobs, so a job created
 * by a request whose answer was lost is still listed afterwards. Creates can be scripted to fail:
 * the connection dropped before or after the job is stored, or a 500 after it is stored.
 *
 * <p>Answers {@code POST /v1/files}, {@code POST /v1/fine_tuning/jobs}, {@code GET
 * /v1/fine_tuning/jobs} (with the {@code metadata[k]=v} filter, newest first) and {@code GET
 * /v1/fine_tuning/jobs/{id}}. Thread-safe.
 */
final class JobsEmulator implements ResponseDefinitionTransformerV2 {

    static final String NAME = "openai-jobs-emulator";

    /** What happens to one create. */
    enum Create {
        OK(false, null, false),
        RESET_BEFORE_STORING(false, Fault.CONNECTION_RESET_BY_PEER, false),
        EMPTY_BEFORE_STORING(false, Fault.EMPTY_RESPONSE, false),
        RESET_AFTER_STORING(true, Fault.CONNECTION_RESET_BY_PEER, false),
        EMPTY_AFTER_STORING(true, Fault.EMPTY_RESPONSE, false),
        ERROR_500_AFTER_STORING(true, null, true);

        final boolean stores;
        final Fault fault;
        final boolean serverError;

        Create(boolean storesBeforeFailing, Fault fault, boolean serverError) {
            this.stores = storesBeforeFailing;
            this.fault = fault;
            this.serverError = serverError;
        }

        boolean fails() {
            return this != OK;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Scripted outcomes of the next creates; an empty queue means {@link Create#OK}. */
    final Queue<Create> nextCreates = new ConcurrentLinkedQueue<>();
    final List<ObjectNode> jobs = new CopyOnWriteArrayList<>();
    final List<Create> failedCreates = new CopyOnWriteArrayList<>();
    private final AtomicInteger files = new AtomicInteger();
    private final AtomicInteger clock = new AtomicInteger();

    void reset() {
        nextCreates.clear();
        jobs.clear();
        failedCreates.clear();
        files.set(0);
        clock.set(0);
    }

    /** The ids of the stored jobs carrying this tag. */
    List<String> jobsTagged(String tag) {
        List<String> ids = new ArrayList<>();
        for (ObjectNode j : jobs) {
            if (tag.equals(j.path("metadata").path("finetune4j_job").asText(null))) {
                ids.add(j.get("id").asText());
            }
        }
        return ids;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request r = event.getRequest();
        String method = r.getMethod().getName();
        String path = URI.create(r.getUrl()).getPath();
        if (method.equals("POST") && path.equals("/v1/files")) {
            int n = files.incrementAndGet();
            return json("{\"object\":\"file\",\"id\":\"file-" + n + "\",\"purpose\":\"fine-tune\",\"bytes\":1}");
        }
        if (method.equals("POST") && path.equals("/v1/fine_tuning/jobs")) {
            return create(r);
        }
        if (method.equals("GET") && path.equals("/v1/fine_tuning/jobs")) {
            return list(r);
        }
        if (method.equals("GET") && path.startsWith("/v1/fine_tuning/jobs/")) {
            String id = path.substring("/v1/fine_tuning/jobs/".length());
            return jobs.stream().filter(j -> j.get("id").asText().equals(id)).findFirst()
                    .map(j -> json(j.toString()))
                    .orElseGet(() -> error(404, "No fine-tuning job found with id " + id));
        }
        return error(404, "the emulator does not answer " + method + " " + path);
    }

    private ResponseDefinition create(Request r) {
        Create outcome = nextCreates.poll();
        if (outcome == null) {
            outcome = Create.OK;
        }
        if (outcome.fails()) {
            failedCreates.add(outcome);
        }
        if (!outcome.stores && outcome.fault != null) {
            return ResponseDefinitionBuilder.responseDefinition().withFault(outcome.fault).build();
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode job = JSON.createObjectNode();
        job.put("object", "fine_tuning.job");
        job.put("id", "ftjob-" + (jobs.size() + 1));
        job.put("model", body.path("model").asText());
        job.put("created_at", 1_721_764_800L + clock.incrementAndGet());
        job.putNull("fine_tuned_model");
        job.put("status", "validating_files");
        job.put("training_file", body.path("training_file").asText());
        job.set("validation_file", body.path("validation_file").isMissingNode() ? null : body.get("validation_file"));
        job.set("metadata", body.path("metadata").deepCopy());
        job.putObject("error").putNull("code").putNull("message").putNull("param");
        jobs.add(job);
        if (outcome.fault != null) {
            return ResponseDefinitionBuilder.responseDefinition().withFault(outcome.fault).build();
        }
        if (outcome.serverError) {
            return error(500, "The server had an error while processing your request.");
        }
        return json(job.toString());
    }

    private ResponseDefinition list(Request r) {
        QueryParameter filter = r.queryParameter("metadata[finetune4j_job]");
        ArrayNode data = JSON.createArrayNode();
        List<ObjectNode> newestFirst = new ArrayList<>(jobs);
        Collections.reverse(newestFirst);
        for (ObjectNode j : newestFirst) {
            if (!filter.isPresent()
                    || filter.firstValue().equals(j.path("metadata").path("finetune4j_job").asText(null))) {
                data.add(j);
            }
        }
        ObjectNode page = JSON.createObjectNode();
        page.put("object", "list");
        page.set("data", data);
        page.put("has_more", false);
        return json(page.toString());
    }

    private static ResponseDefinition json(String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body).build();
    }

    private static ResponseDefinition error(int status, String message) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\",\"param\":null,"
                        + "\"code\":null}}").build();
    }
}
