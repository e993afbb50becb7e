package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.ProviderException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.TransportException;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.huggingface.HuggingFaceProviderFactory;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.ProviderJson;
import dev.finetune4j.spi.kit.RetrySafety;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hub's repository endpoints this provider uses: who am I, create and delete a repository,
 * preupload (regular or LFS, and the remote blob id), NDJSON commits, the commit a revision points
 * at, and a file of a repository. Thread-safe.
 */
public final class HubApi {

    /** How many times a create that collides with another operation on the repo is tried again. */
    static final int CONFLICT_RETRIES = 3;

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(HuggingFaceProviderFactory.ID));

    private final ProviderHttp http;
    private final Sleeper sleeper;

    /** An API over the Hub's HTTP client. */
    public HubApi(ProviderHttp http, Sleeper sleeper) {
        this.http = Objects.requireNonNull(http, "http");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The HTTP client (the Hub's base URL). */
    public ProviderHttp http() {
        return http;
    }

    /** The user name of the token's owner ({@code GET /api/whoami-v2}). */
    public String whoami() {
        JsonNode me = http.getJson("/api/whoami-v2");
        String name = me.path("name").asText("");
        if (name.isEmpty()) {
            throw new FineTuneException("huggingface: /api/whoami-v2 named no user; set the provider setting "
                    + "'namespace' instead");
        }
        return name;
    }

    /** {@code namespace/name} with both parts percent-encoded for a path. */
    public static String repoPath(String repoId) {
        return RepoNames.namespaceOf(repoId).map(ns -> ApiRequest.segment(ns) + "/").orElse("")
                + ApiRequest.segment(RepoNames.nameOf(repoId));
    }

    /**
     * Creates a private repository, or finds it already there ({@code 409}). A {@code 409} saying
     * another operation on the repo is in progress, and a create lost in transit, are tried again
     * after a pause (at most {@value #CONFLICT_RETRIES} times).
     *
     * @param type {@code dataset} or {@code model}
     * @return true when it was created, false when it existed
     */
    public boolean createRepo(String namespace, String name, String type) {
        ObjectNode body = ProviderJson.mapper().createObjectNode()
                .put("name", name)
                .put("organization", namespace)
                .put("type", type)
                // as huggingface_hub's create_repo since 2026-03: "visibility" only (it refuses a caller
                // passing both; "private" is its older form)
                .put("visibility", "private");
        for (int attempt = 1; ; attempt++) {
            try {
                // UNSAFE: a 409 must come back at once rather than be retried as "busy".
                http.postJson("/api/repos/create", body, RetrySafety.UNSAFE);
                LOG.info("huggingface: created private {} repo {}/{}", type, namespace, name);
                return true;
            } catch (TransportException e) {
                // A create that may have arrived is harmless to repeat: the second one answers 409.
                if (attempt > CONFLICT_RETRIES) {
                    throw e;
                }
                pause(Duration.ofSeconds(attempt));
            } catch (ProviderException e) {
                if (e.statusCode() != 409) {
                    throw e;
                }
                boolean busy = (e.rawBody() + " " + e.getMessage()).toLowerCase(Locale.ROOT)
                        .contains("conflicting operation");
                if (!busy) {
                    LOG.debug("huggingface: {} repo {}/{} exists", type, namespace, name);
                    return false;
                }
                if (attempt > CONFLICT_RETRIES) {
                    throw e;
                }
                pause(Duration.ofSeconds(attempt));
            }
        }
    }

    /** Deletes a repository ({@code DELETE /api/repos/delete}); one that is already gone counts as deleted. */
    public void deleteRepo(String repoId, String type) {
        String namespace = RepoNames.namespaceOf(repoId).orElseThrow(() -> new IllegalArgumentException(
                "'" + repoId + "' is not a repository id (namespace/name)"));
        ObjectNode body = ProviderJson.mapper().createObjectNode()
                .put("name", RepoNames.nameOf(repoId))
                .put("organization", namespace)
                .put("type", type);
        try {
            http.sendJson(ApiRequest.delete("/api/repos/delete").json(body).build());
            LOG.info("huggingface: deleted {} repo {}", type, repoId);
        } catch (NotFoundException e) {
            LOG.info("huggingface: {} repo {} was already gone", type, repoId);
        }
    }

    /**
     * One file's preupload answer.
     *
     * @param path the path in the repository
     * @param lfs whether the Hub wants it through LFS
     * @param remoteOid the blob id the Hub holds at this path (git SHA-1 for regular files, SHA-256
     *     for LFS ones), or {@code null} when the path does not exist
     */
    public record UploadMode(String path, boolean lfs, String remoteOid) {}

    /**
     * A file about to be committed.
     *
     * @param path the path in the repository
     * @param digest its size, sample and ids
     */
    public record Upload(String path, FileDigest digest) {}

    /** Asks the Hub how each file must be sent ({@code POST /api/{type}s/{repo}/preupload/{revision}}). */
    public List<UploadMode> preupload(String type, String repoId, String revision, List<Upload> files) {
        ObjectNode body = ProviderJson.mapper().createObjectNode();
        ArrayNode list = body.putArray("files");
        for (Upload f : files) {
            list.addObject()
                    .put("path", f.path())
                    .put("sample", Base64.getEncoder().encodeToString(f.digest().sample()))
                    .put("size", f.digest().size());
        }
        JsonNode answer = http.postJson("/api/" + type + "s/" + repoPath(repoId) + "/preupload/"
                + ApiRequest.segment(revision), body, RetrySafety.SAFE);
        List<UploadMode> modes = new ArrayList<>();
        for (Upload f : files) {
            JsonNode match = null;
            for (JsonNode item : answer.path("files")) {
                if (f.path().equals(item.path("path").asText())) {
                    match = item;
                }
            }
            if (match == null) {
                throw new FineTuneException("huggingface: the preupload answer for " + repoId + " does not mention "
                        + f.path());
            }
            // Empty files cannot go through LFS; huggingface_hub commits them as regular files too.
            boolean lfs = "lfs".equals(match.path("uploadMode").asText()) && f.digest().size() > 0;
            String oid = match.path("oid").isTextual() ? match.path("oid").asText() : null;
            modes.add(new UploadMode(f.path(), lfs, oid));
        }
        return modes;
    }

    /**
     * Sends an NDJSON commit ({@code POST /api/{type}s/{repo}/commit/{revision}}), never repeated
     * blindly: a second identical commit is harmless but the caller checks first.
     *
     * @return the new commit's id ({@code commitOid})
     */
    public String commit(String type, String repoId, String revision, byte[] ndjson) {
        JsonNode answer = http.sendJson(ApiRequest.post("/api/" + type + "s/" + repoPath(repoId) + "/commit/"
                        + ApiRequest.segment(revision))
                .body(ndjson, "application/x-ndjson")
                .retrySafety(RetrySafety.UNSAFE)
                .build()).body();
        String oid = answer.path("commitOid").asText("");
        if (oid.isEmpty()) {
            throw new FineTuneException("huggingface: the commit to " + repoId + " answered without a commitOid: "
                    + answer);
        }
        return oid;
    }

    /** The commit a revision of a repository points at ({@code GET /api/{type}s/{repo}/revision/{revision}}). */
    public String revisionSha(String type, String repoId, String revision) {
        JsonNode info = http.getJson("/api/" + type + "s/" + repoPath(repoId) + "/revision/"
                + ApiRequest.segment(revision));
        String sha = info.path("sha").asText("");
        if (sha.isEmpty()) {
            throw new FineTuneException("huggingface: " + repoId + "@" + revision + " has no commit sha: " + info);
        }
        return sha;
    }

    /**
     * A JSON file of a model repository ({@code GET /{repo}/resolve/{revision}/{path}}), or empty
     * when the repository or the file does not exist.
     */
    public Optional<JsonNode> modelFile(String repoId, String revision, String path) {
        try {
            JsonNode file = http.getJson("/" + repoPath(repoId) + "/resolve/" + ApiRequest.segment(revision) + "/"
                    + ApiRequest.segment(path));
            return Optional.of(file);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FineTuneException("huggingface: interrupted while waiting to create a repository", e);
        }
    }
}
