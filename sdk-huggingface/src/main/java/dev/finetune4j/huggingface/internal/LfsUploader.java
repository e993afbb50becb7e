package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.huggingface.HuggingFaceProviderFactory;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.ProviderJson;
import dev.finetune4j.spi.kit.RawResponse;
import dev.finetune4j.spi.kit.RetrySafety;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads one file through the Hub's git LFS batch API: {@code POST
 * {hub}/{datasets/}{repo}.git/info/lfs/objects/batch}, then either one {@code PUT} of the whole file
 * to the returned URL (basic transfer) or one {@code PUT} per part followed by a completion {@code
 * POST} (the Hub's multipart transfer, chosen by the server with a {@code chunk_size} header), then
 * the optional verify call. The file is streamed from disk, a part at a time; nothing is sent when
 * the Hub already holds the object (no {@code actions} in its answer). Thread-safe.
 */
public final class LfsUploader {

    /** The media type of the LFS batch API. */
    public static final String LFS_JSON = "application/vnd.git-lfs+json";

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(HuggingFaceProviderFactory.ID));

    private final ProviderHttp http;
    private final Duration uploadTimeout;

    /**
     * An uploader.
     *
     * @param uploadTimeout the per-attempt timeout of each {@code PUT} (large files need long ones)
     */
    public LfsUploader(ProviderHttp http, Duration uploadTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.uploadTimeout = Objects.requireNonNull(uploadTimeout, "uploadTimeout");
    }

    /**
     * Sends a file's content to LFS storage so a commit can reference it as an {@code lfsFile}.
     *
     * @param type {@code dataset} or {@code model}
     * @param repoId the repository
     * @param revision the branch the commit will go to
     * @param file the file
     * @param digest its size and SHA-256
     * @return true when bytes were sent, false when the Hub already had them
     */
    public boolean upload(String type, String repoId, String revision, Path file, FileDigest digest) {
        ObjectNode body = ProviderJson.mapper().createObjectNode().put("operation", "upload");
        body.putArray("transfers").add("basic").add("multipart");
        body.putArray("objects").addObject().put("oid", digest.sha256()).put("size", digest.size());
        body.put("hash_algo", "sha256");
        body.putObject("ref").put("name", revision);
        String prefix = "model".equals(type) ? "" : type + "s/";
        JsonNode answer = http.sendJson(ApiRequest.post("/" + prefix + HubApi.repoPath(repoId)
                        + ".git/info/lfs/objects/batch")
                .json(body)
                .header("Content-Type", LFS_JSON)
                .accept(LFS_JSON)
                .retrySafety(RetrySafety.SAFE)
                .build()).body();
        JsonNode object = null;
        for (JsonNode o : answer.path("objects")) {
            if (digest.sha256().equals(o.path("oid").asText())) {
                object = o;
            }
        }
        if (object == null) {
            throw new FineTuneException("huggingface: the LFS batch answer for " + file.getFileName()
                    + " does not mention its object " + digest.sha256());
        }
        if (object.has("error")) {
            throw new FineTuneException("huggingface: LFS refused " + file.getFileName() + ": "
                    + object.path("error").path("message").asText(object.path("error").toString())
                    + " (code " + object.path("error").path("code").asText("?") + ")");
        }
        JsonNode actions = object.path("actions");
        if (actions.isMissingNode() || actions.isNull() || !actions.has("upload")) {
            LOG.debug("huggingface: LFS already holds {} ({})", file.getFileName(), digest.sha256());
            return false;
        }
        JsonNode upload = actions.path("upload");
        URI href = href(upload, "upload");
        JsonNode header = upload.path("header");
        if (header.has("chunk_size")) {
            uploadParts(file, digest, href, header);
        } else {
            try (RawResponse put = http.send(ApiRequest.absolute("PUT", href).withoutAuth()
                    .file(file, 0, digest.size(), "application/octet-stream")
                    .timeout(uploadTimeout)
                    .build())) {
                LOG.debug("huggingface: uploaded {} ({} bytes) to LFS, status {}", file.getFileName(), digest.size(),
                        put.status());
            } catch (IOException e) {
                LOG.debug("could not release the upload answer", e);
            }
        }
        if (actions.has("verify")) {
            ObjectNode verify = ProviderJson.mapper().createObjectNode().put("oid", digest.sha256()).put("size", digest.size());
            http.sendJson(ApiRequest.absolute("POST", href(actions.path("verify"), "verify"))
                    .json(verify)
                    .header("Content-Type", LFS_JSON)
                    .accept(LFS_JSON)
                    .retrySafety(RetrySafety.SAFE)
                    .build());
        }
        return true;
    }

    private void uploadParts(Path file, FileDigest digest, URI completion, JsonNode header) {
        long chunk;
        try {
            chunk = Long.parseLong(header.path("chunk_size").asText());
        } catch (NumberFormatException e) {
            throw new FineTuneException("huggingface: the LFS answer's chunk_size is not a number: "
                    + header.path("chunk_size"), e);
        }
        Map<Integer, URI> parts = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().isEmpty() && e.getKey().chars().allMatch(Character::isDigit)) {
                parts.put(Integer.parseInt(e.getKey()), URI.create(e.getValue().asText()));
            }
        }
        long expected = chunk <= 0 ? -1 : (digest.size() + chunk - 1) / chunk;
        if (parts.size() != expected) {
            throw new FineTuneException("huggingface: the LFS answer offers " + parts.size() + " part URLs for "
                    + digest.size() + " bytes in parts of " + chunk + "; expected " + expected);
        }
        ObjectNode done = ProviderJson.mapper().createObjectNode().put("oid", digest.sha256());
        ArrayNode etags = done.putArray("parts");
        int number = 0;
        for (URI url : parts.values()) {
            long offset = (long) number * chunk;
            long length = Math.min(chunk, digest.size() - offset);
            number++;
            try (RawResponse answer = http.send(ApiRequest.absolute("PUT", url).withoutAuth()
                    .file(file, offset, length, "application/octet-stream")
                    .timeout(uploadTimeout)
                    .build())) {
                String etag = answer.headers().firstValue("ETag").orElse("");
                if (etag.isEmpty()) {
                    throw new FineTuneException("huggingface: LFS part " + number + " of " + file.getFileName()
                            + " was stored without an ETag");
                }
                etags.addObject().put("partNumber", number).put("etag", etag);
            } catch (IOException e) {
                LOG.debug("could not release the part answer", e);
            }
        }
        http.sendJson(ApiRequest.absolute("POST", completion)
                .json(done)
                .header("Content-Type", LFS_JSON)
                .accept(LFS_JSON)
                .retrySafety(RetrySafety.SAFE)
                .build());
        LOG.debug("huggingface: uploaded {} ({} bytes) to LFS in {} parts", file.getFileName(), digest.size(),
                parts.size());
    }

    private static URI href(JsonNode action, String what) {
        String href = action.path("href").asText("");
        if (href.isEmpty()) {
            throw new FineTuneException("huggingface: the LFS " + what + " action has no href");
        }
        return URI.create(href);
    }
}
