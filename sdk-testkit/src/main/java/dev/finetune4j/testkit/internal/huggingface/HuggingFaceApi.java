package dev.finetune4j.testkit.internal.huggingface;

import static dev.finetune4j.testkit.internal.huggingface.HfErrors.badRequest;
import static dev.finetune4j.testkit.internal.huggingface.HfErrors.hub;
import static dev.finetune4j.testkit.internal.huggingface.HfErrors.repoNotFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedEndpoint;
import dev.finetune4j.testkit.EmulatedFile;
import dev.finetune4j.testkit.EmulatedRepo;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Emulation;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.JobBoard;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.Settings;
import dev.finetune4j.testkit.internal.TrainedModel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A stateful emulation of what the Hugging Face provider calls: the Hub's repository endpoints
 * (who am I, create/delete, preupload, NDJSON commits, revisions, resolve) with git LFS (batch,
 * single-part upload, verify), the Jobs API ({@link HfJobs}), an OpenAI-compatible serving
 * endpoint in vLLM's style ({@link HfServing}) where trained adapters answer while their model
 * repository exists, and the Inference Endpoints API with the endpoints it runs ({@link
 * HfEndpoints}). Thread-safe.
 */
public final class HuggingFaceApi extends Emulation<HfJob, TrainedModel> {

    /** The base models the serving endpoint serves unless told otherwise. */
    public static final List<String> DEFAULT_BASE_MODELS = List.of("Qwen/Qwen2.5-0.5B-Instruct",
            "Qwen/Qwen2.5-1.5B-Instruct", "meta-llama/Llama-3.2-1B-Instruct");

    /** Files above this size go through LFS unless told otherwise (the Hub's 10 MiB rule). */
    public static final long DEFAULT_LFS_THRESHOLD = 10L * 1024 * 1024;

    private static final Pattern REPO_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final List<String> REPO_TYPES = List.of("dataset", "model");

    /** A file in a commit. */
    record RepoFile(byte[] content, boolean lfs) {

        static RepoFile of(String text, boolean lfs) {
            return new RepoFile(text.getBytes(StandardCharsets.UTF_8), lfs);
        }

        String oid() {
            return lfs ? sha256(content) : gitOid(content);
        }
    }

    /** A commit: the whole tree after it. */
    record Commit(String oid, String summary, Instant at, Map<String, RepoFile> files) {}

    /** A repository and its history on {@code main}. */
    static final class Repo {
        final String type;
        final String id;
        final boolean isPrivate;
        final Instant createdAt;
        final List<Commit> commits = new ArrayList<>();

        Repo(String type, String id, boolean isPrivate, Instant createdAt) {
            this.type = type;
            this.id = id;
            this.isPrivate = isPrivate;
            this.createdAt = createdAt;
        }

        Commit head() {
            return commits.get(commits.size() - 1);
        }

        /** A commit by branch name ({@code main}) or commit id, or null. */
        Commit at(String revision) {
            if (revision.equals("main")) {
                return head();
            }
            for (Commit c : commits) {
                if (c.oid().equalsIgnoreCase(revision)) {
                    return c;
                }
            }
            return null;
        }

        /** {@code datasets/ns/name} or {@code ns/name}: the repo's place in URLs. */
        String urlPath() {
            return (type.equals("model") ? "" : type + "s/") + id;
        }
    }

    /** The token owner's user name, the only namespace repositories and jobs may use. */
    final String namespace;
    private final long lfsThresholdBytes;
    private volatile Supplier<String> rootUrl = () -> "http://localhost";

    // State, guarded by this.
    final Map<String, Repo> repos = new LinkedHashMap<>();
    private final Map<String, byte[]> lfsObjects = new LinkedHashMap<>();

    private final HfJobs jobs;
    private final HfServing serving;
    private final HfEndpoints endpoints;

    /**
     * @param endpointColdStart how long a scaled-to-zero endpoint takes to start again: a request
     *     whose {@code X-Scale-Up-Timeout} covers it is held and served, another answered 503
     */
    public HuggingFaceApi(Settings settings, String namespace, long lfsThresholdBytes, Duration endpointColdStart) {
        // its files live in repositories (fileSnapshots); it has no files endpoint
        super(settings, HfErrors::repoNotFound);
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.lfsThresholdBytes = lfsThresholdBytes;
        this.jobs = new HfJobs(this);
        this.serving = new HfServing(this);
        this.endpoints = new HfEndpoints(this, serving, Objects.requireNonNull(endpointColdStart, "endpointColdStart"));
    }

    /** Where the emulator is reachable ({@code http://localhost:PORT[/mount]}), for absolute URLs in answers. */
    public void rootUrl(Supplier<String> root) {
        this.rootUrl = Objects.requireNonNull(root, "root");
    }

    String root() {
        return rootUrl.get();
    }

    @Override
    protected JobBoard<HfJob, ?> jobs() {
        return jobs;
    }

    // ---------------------------------------------------------------- models are adapters in repositories

    /** An adapter is served while its model repository exists. */
    @Override
    protected Optional<TrainedModel> servedModel(String id) {
        return repos.containsKey(key("model", id)) ? super.servedModel(id) : Optional.empty();
    }

    TrainedModel adapter(String id) {
        return models.get(id);
    }

    /** Whether a model repository exists. */
    boolean hasModelRepo(String id) {
        return repos.containsKey(key("model", id));
    }

    /** Whether a model repository exists and is private. */
    boolean isPrivateModelRepo(String id) {
        Repo r = repos.get(key("model", id));
        return r != null && r.isPrivate;
    }

    /** Whether a request carries the key the emulator accepts. */
    boolean authorized(HttpCall call) {
        return key(call) == Key.ACCEPTED;
    }

    // ---------------------------------------------------------------- Inference Endpoints

    /** The endpoints, oldest first, as a test sees them now. */
    public synchronized List<EmulatedEndpoint> endpointSnapshots() {
        return endpoints.snapshots();
    }

    /** Moves an endpoint one state on, as one read of it would. */
    public synchronized void advanceEndpoint(String name) {
        endpoints.advance(name);
    }

    /** Scales a running endpoint to zero now, as its idle timeout would. */
    public synchronized void scaleEndpointToZero(String name) {
        endpoints.scaleToZeroNow(name);
    }

    /** Fails an endpoint now, with this message. */
    public synchronized void failEndpoint(String name, String message) {
        endpoints.fail(name, message);
    }

    /** The next endpoint created fails when it would start, with this message. */
    public synchronized void failNextEndpoint(String message) {
        endpoints.failNext(message);
    }

    /** Deletes an endpoint behind the client's back. */
    public synchronized void deleteEndpoint(String name) {
        endpoints.remove(name);
    }

    /**
     * Deletes a model repository as its owner would; its adapter is then no longer served.
     *
     * @throws IllegalArgumentException when no such model repository exists
     */
    @Override
    public synchronized void deleteModel(String id) {
        if (repos.remove(key("model", id)) == null) {
            throw new IllegalArgumentException("no model repository '" + id + "' exists in the emulator; known: "
                    + repos.values().stream().filter(r -> r.type.equals("model")).map(r -> r.id).toList());
        }
    }

    // ---------------------------------------------------------------- views

    /** Every file of every repository as it is at the head of {@code main}; ids are {@code datasets/ns/name/path}. */
    @Override
    public synchronized List<EmulatedFile> fileSnapshots() {
        List<EmulatedFile> out = new ArrayList<>();
        for (Repo r : repos.values()) {
            Commit head = r.head();
            head.files().forEach((path, f) -> out.add(new EmulatedFile(r.urlPath() + "/" + path, path, r.type,
                    f.content().length, head.at(), new String(f.content(), StandardCharsets.UTF_8))));
        }
        return out;
    }

    /** The repositories, oldest first, as a test sees them now. */
    public synchronized List<EmulatedRepo> repoSnapshots() {
        List<EmulatedRepo> out = new ArrayList<>();
        for (Repo r : repos.values()) {
            Map<String, String> files = new LinkedHashMap<>();
            r.head().files().forEach((p, f) -> files.put(p, new String(f.content(), StandardCharsets.UTF_8)));
            out.add(new EmulatedRepo(r.id, r.type, r.isPrivate, r.commits.stream().map(Commit::oid).toList(), files,
                    r.createdAt));
        }
        return out;
    }

    @Override
    protected void clearState() {
        repos.clear();
        lfsObjects.clear();
        endpoints.clear();
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    protected void routes(Routes r) {
        r.notFound(call -> serving(call) ? HfErrors.serving(404, "NotFoundError", "Not Found") : HfErrors.pageNotFound())
                .methodNotAllowed((call, allowed) -> serving(call) ? ApiError.fastApiMethodNotAllowed(allowed)
                        : HfErrors.pageNotFound())
                .guard("/api", this::checkAuth)
                .guard("/v2", this::checkAuth)
                .add("PUT", "/lfs-upload/{oid}", this::lfsPut)
                .post("/lfs-verify/{oid}", call -> {
                    if (!lfsObjects.containsKey(call.param("oid"))) {
                        throw hub(404, null, "Object " + call.param("oid") + " not found");
                    }
                    return Reply.ok(Jsons.object()).header("Content-Type", "application/vnd.git-lfs+json");
                })
                .get("/api/whoami-v2", call -> whoami())
                .post("/api/repos/create", call -> createRepo(jsonBody(call)))
                .post("/api/repos/delete", call -> deleteRepo(jsonBody(call)))
                .delete("/api/repos/delete", call -> deleteRepo(jsonBody(call)));
        for (String type : REPO_TYPES) {
            String repo = "/api/" + type + "s/{ns}/{repo}";
            String url = type.equals("model") ? "/{ns}/{repo}" : "/" + type + "s/{ns}/{repo}";
            r.post(repo + "/preupload/{rev}", call -> preupload(type, repoId(call), call.param("rev"), jsonBody(call)))
                    .post(repo + "/commit/{rev}", call -> commit(call, type, repoId(call), call.param("rev")))
                    .get(repo + "/revision/{rev}", call -> revision(type, repoId(call), call.param("rev")))
                    .post(url + ".git/info/lfs/objects/batch", authenticated(call -> lfsBatch(call, type)))
                    .get(url + "/resolve/{rev}/{path...}", authenticated(call -> resolve(call, type)));
        }
        jobs.routes(r);
        serving.routes(r);
        endpoints.routes(r);
    }

    private static boolean serving(HttpCall call) {
        return call.path().equals("/v1") || call.path().startsWith("/v1/");
    }

    private static String repoId(HttpCall call) {
        return call.param("ns") + "/" + call.param("repo");
    }

    private Routes.Handler authenticated(Routes.Handler handler) {
        return call -> {
            checkAuth(call);
            return handler.handle(call);
        };
    }

    private void checkAuth(HttpCall call) {
        if (key(call) != Key.ACCEPTED) {
            throw hub(401, null, "Invalid credentials in Authorization header");
        }
    }

    @Override
    protected Reply rateLimited(long seconds) {
        return hub(429, null, "You have exceeded our rate limit; retry later.").reply()
                .header("Retry-After", String.valueOf(seconds));
    }

    @Override
    protected Reply serverError() {
        return hub(500, null, "Internal Error - We're working hard to fix this as soon as possible!").reply();
    }

    @Override
    protected Reply decorate(Reply reply) {
        return reply.header("X-Request-Id", "Root=1-" + ids.hex(8) + "-" + ids.hex(24));
    }

    static ObjectNode jsonBody(HttpCall call) {
        return Jsons.parse(call.bodyText()).filter(JsonNode::isObject).map(n -> (ObjectNode) n)
                .orElseThrow(() -> badRequest("Invalid JSON in request body"));
    }

    // ---------------------------------------------------------------- repositories

    static String key(String type, String id) {
        return type + ":" + id;
    }

    Repo repo(String type, String id) {
        Repo r = repos.get(key(type, id));
        if (r == null) {
            throw repoNotFound(id);
        }
        return r;
    }

    private Reply whoami() {
        ObjectNode me = Jsons.object();
        me.put("type", "user");
        me.put("id", ids.hex(24));
        me.put("name", namespace);
        me.put("fullname", namespace + " (emulated)");
        me.put("isPro", false);
        me.putArray("orgs");
        ObjectNode auth = me.putObject("auth");
        auth.put("type", "access_token");
        auth.putObject("accessToken").put("displayName", "finetune4j-emulator").put("role", "write");
        return Reply.ok(me);
    }

    private Reply createRepo(ObjectNode body) {
        String name = body.path("name").asText("");
        String type = body.path("type").isTextual() ? body.path("type").asText() : "model";
        String org = body.path("organization").isTextual() ? body.path("organization").asText() : namespace;
        if (!List.of("model", "dataset", "space").contains(type)) {
            throw badRequest("Invalid repo type \"" + type + "\": must be model, dataset or space");
        }
        if (!REPO_NAME.matcher(name).matches() || name.contains("--") || name.contains("..") || name.endsWith("-")
                || name.endsWith(".")) {
            throw badRequest("Invalid repo name \"" + name + "\": use letters, digits, '-', '_' and '.', "
                    + "no '--' or '..', at most 96 characters");
        }
        if (!org.equals(namespace)) {
            throw hub(403, null, "You don't have the rights to create a " + type + " under the namespace \"" + org + "\"");
        }
        boolean isPrivate = body.path("private").asBoolean(false)
                || "private".equals(body.path("visibility").asText(""));
        String id = org + "/" + name;
        return createRepo(type, id, isPrivate).map(r -> Reply.ok(Jsons.object().put("url", root() + "/" + r.urlPath())
                .put("name", id).put("id", ids.hex(24))))
                .orElseThrow(() -> hub(409, null, "You already created this " + type + " repo"));
    }

    /** Creates a repository with its initial commit, or empty when it exists. */
    Optional<Repo> createRepo(String type, String id, boolean isPrivate) {
        if (repos.containsKey(key(type, id))) {
            return Optional.empty();
        }
        Repo r = new Repo(type, id, isPrivate, settings.clock().now());
        Map<String, RepoFile> files = new LinkedHashMap<>();
        files.put(".gitattributes", RepoFile.of("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
                + "*.bin filter=lfs diff=lfs merge=lfs -text\n", false));
        r.commits.add(new Commit(ids.hex(40), "initial commit", settings.clock().now(), files));
        repos.put(key(type, id), r);
        return Optional.of(r);
    }

    private Reply deleteRepo(ObjectNode body) {
        String type = body.path("type").isTextual() ? body.path("type").asText() : "model";
        String org = body.path("organization").isTextual() ? body.path("organization").asText() : namespace;
        String id = org + "/" + body.path("name").asText("");
        if (repos.remove(key(type, id)) == null) {
            throw repoNotFound(id);
        }
        return Reply.status(200);
    }

    private Reply preupload(String type, String repoId, String revision, ObjectNode body) {
        Repo repo = repo(type, repoId);
        Commit head = branch(repo, revision);
        JsonNode files = body.path("files");
        if (!files.isArray()) {
            throw badRequest("\"files\" must be an array");
        }
        ArrayNode out = Jsons.array();
        for (JsonNode f : files) {
            String path = f.path("path").asText("");
            if (path.isEmpty()) {
                throw badRequest("every file needs a \"path\"");
            }
            long size = f.path("size").asLong(0);
            ObjectNode o = out.addObject();
            o.put("path", path);
            o.put("uploadMode", size > lfsThresholdBytes ? "lfs" : "regular");
            o.put("shouldIgnore", false);
            RepoFile existing = head.files().get(path);
            if (existing != null) {
                o.put("oid", existing.oid());
            }
        }
        return Reply.ok(Jsons.object().set("files", out));
    }

    private static Commit branch(Repo repo, String revision) {
        if (!revision.equals("main")) {
            throw hub(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        return repo.head();
    }

    private Reply commit(HttpCall call, String type, String repoId, String revision) {
        Repo repo = repo(type, repoId);
        Commit head = branch(repo, revision);
        if (call.queryParam("create_pr").filter(v -> !v.isEmpty() && !v.equals("0")).isPresent()) {
            throw badRequest("create_pr is not emulated");
        }
        String[] lines = call.bodyText().split("\n");
        List<JsonNode> ops = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            ops.add(Jsons.parse(line).filter(JsonNode::isObject)
                    .orElseThrow(() -> badRequest("Invalid NDJSON line in the commit body")));
        }
        if (ops.isEmpty() || !ops.get(0).path("key").asText().equals("header")) {
            throw badRequest("The first line of a commit must be the header");
        }
        JsonNode header = ops.get(0).path("value");
        String summary = header.path("summary").asText("");
        if (summary.isBlank()) {
            throw badRequest("The commit header needs a \"summary\"");
        }
        String parent = header.path("parentCommit").asText("");
        if (!parent.isEmpty() && !parent.equalsIgnoreCase(head.oid())) {
            throw hub(412, null, "A commit has happened since " + parent + "; the branch is at " + head.oid());
        }
        String rejection = uploadRejections.poll();
        if (rejection != null) {
            throw badRequest(rejection);
        }
        Map<String, RepoFile> files = new LinkedHashMap<>(head.files());
        for (JsonNode op : ops.subList(1, ops.size())) {
            JsonNode v = op.path("value");
            String path = v.path("path").asText("");
            switch (op.path("key").asText()) {
                case "file": {
                    if (path.isEmpty() || !"base64".equals(v.path("encoding").asText())) {
                        throw badRequest("A file operation needs a \"path\", base64 \"content\" and \"encoding\": \"base64\"");
                    }
                    byte[] content;
                    try {
                        content = Base64.getDecoder().decode(v.path("content").asText(""));
                    } catch (IllegalArgumentException e) {
                        throw badRequest("The content of " + path + " is not valid base64");
                    }
                    if (content.length > lfsThresholdBytes) {
                        throw badRequest("Your push was rejected because it contains files larger than "
                                + lfsThresholdBytes + " bytes (" + path + "). Please use LFS.");
                    }
                    files.put(path, new RepoFile(content, false));
                    break;
                }
                case "lfsFile": {
                    String oid = v.path("oid").asText("");
                    byte[] content = lfsObjects.get(oid);
                    if (path.isEmpty() || !"sha256".equals(v.path("algo").asText("sha256"))) {
                        throw badRequest("An lfsFile operation needs a \"path\", \"algo\": \"sha256\" and an \"oid\"");
                    }
                    if (content == null || content.length != v.path("size").asLong(-1)) {
                        throw hub(422, null, "LFS object " + oid + " for " + path + " was not uploaded (or has another size)");
                    }
                    files.put(path, new RepoFile(content, true));
                    break;
                }
                case "deletedFile":
                    if (files.remove(path) == null) {
                        throw hub(404, "EntryNotFound", path + " does not exist in " + repoId);
                    }
                    break;
                case "deletedFolder":
                    files.keySet().removeIf(p -> p.startsWith(path.endsWith("/") ? path : path + "/"));
                    break;
                default:
                    throw badRequest("Unknown commit operation \"" + op.path("key").asText() + "\"");
            }
        }
        Commit c = new Commit(ids.hex(40), summary, settings.clock().now(), files);
        repo.commits.add(c);
        ObjectNode out = Jsons.object();
        out.put("success", true);
        out.put("commitOid", c.oid());
        out.put("commitUrl", root() + "/" + repo.urlPath() + "/commit/" + c.oid());
        out.put("commitMessage", summary);
        out.put("hookOutput", "");
        out.putNull("pullRequestUrl");
        return Reply.ok(out);
    }

    /** Adds a commit made by the emulator itself (a job pushing its adapter). */
    Commit commitFiles(Repo repo, String summary, Map<String, RepoFile> changed) {
        Map<String, RepoFile> files = new LinkedHashMap<>(repo.head().files());
        files.putAll(changed);
        Commit c = new Commit(ids.hex(40), summary, settings.clock().now(), files);
        repo.commits.add(c);
        return c;
    }

    private Reply revision(String type, String repoId, String revision) {
        Repo repo = repo(type, repoId);
        Commit c = repo.at(revision);
        if (c == null) {
            throw hub(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        ObjectNode out = Jsons.object();
        out.put("_id", ids.hex(24));
        out.put("id", repo.id);
        out.put("author", repo.id.substring(0, repo.id.indexOf('/')));
        out.put("sha", c.oid());
        out.put("lastModified", c.at().toString());
        out.put("private", repo.isPrivate);
        out.put("gated", false);
        out.put("disabled", false);
        ArrayNode siblings = out.putArray("siblings");
        c.files().keySet().forEach(p -> siblings.addObject().put("rfilename", p));
        out.put("createdAt", repo.createdAt.toString());
        return Reply.ok(out);
    }

    private Reply resolve(HttpCall call, String type) {
        String repoId = call.param("ns") + "/" + call.param("repo");
        String revision = call.param("rev");
        Commit c = repo(type, repoId).at(revision);
        if (c == null) {
            throw hub(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        String path = call.param("path");
        RepoFile f = c.files().get(path);
        if (f == null) {
            throw hub(404, "EntryNotFound", "Entry not found: " + path + " in " + repoId + "@" + revision);
        }
        return Reply.status(200).header("Content-Type", path.endsWith(".json") ? "application/json"
                : "application/octet-stream").header("X-Repo-Commit", c.oid())
                .header("ETag", "\"" + f.oid() + "\"").body(f.content());
    }

    // ---------------------------------------------------------------- LFS

    private Reply lfsBatch(HttpCall call, String type) {
        repo(type, call.param("ns") + "/" + call.param("repo"));
        ObjectNode body = jsonBody(call);
        if (!"upload".equals(body.path("operation").asText())) {
            throw badRequest("Only the \"upload\" operation is emulated");
        }
        ArrayNode objects = Jsons.array();
        for (JsonNode o : body.path("objects")) {
            String oid = o.path("oid").asText("");
            long size = o.path("size").asLong(-1);
            ObjectNode out = objects.addObject().put("oid", oid).put("size", size).put("authenticated", true);
            if (!oid.matches("[0-9a-f]{64}") || size < 0) {
                out.putObject("error").put("code", 422).put("message", "invalid object (oid must be a SHA-256, size >= 0)");
                continue;
            }
            byte[] held = lfsObjects.get(oid);
            if (held != null && held.length == size) {
                continue;
            }
            ObjectNode actions = out.putObject("actions");
            actions.putObject("upload").put("href", root() + "/lfs-upload/" + oid)
                    .put("expires_at", settings.clock().now().plusSeconds(3600).toString());
            actions.putObject("verify").put("href", root() + "/lfs-verify/" + oid)
                    .put("expires_at", settings.clock().now().plusSeconds(3600).toString());
        }
        ObjectNode out = Jsons.object().put("transfer", "basic");
        out.set("objects", objects);
        return Reply.ok(out).header("Content-Type", "application/vnd.git-lfs+json");
    }

    private Reply lfsPut(HttpCall call) {
        String oid = call.param("oid");
        byte[] body = call.body();
        if (!sha256(body).equals(oid)) {
            throw hub(400, null, "The uploaded content does not match the object id " + oid);
        }
        lfsObjects.put(oid, body.clone());
        return Reply.status(200).header("ETag", "\"" + oid + "\"");
    }

    // ---------------------------------------------------------------- digests

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(content));
    }

    /** The git blob id: SHA-1 of {@code "blob <size>\0"} and the content. */
    static String gitOid(byte[] content) {
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha1.digest(content));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
