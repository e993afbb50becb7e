package dev.finetune4j.testkit.internal.huggingface;

import static dev.finetune4j.testkit.internal.huggingface.HfErrors.badRequest;
import static dev.finetune4j.testkit.internal.huggingface.HfErrors.hub;
import static dev.finetune4j.testkit.internal.huggingface.HfErrors.repoNotFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedFile;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.internal.EmulatedApi;
import dev.finetune4j.testkit.internal.EmulatorClock;
import dev.finetune4j.testkit.internal.FaultPlan;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Ids;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Progression;
import dev.finetune4j.testkit.internal.Reply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
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
 * single-part upload, verify), the Jobs API ({@link HfJobs}) and an OpenAI-compatible serving
 * endpoint in vLLM's style ({@link HfServing}). All state lives in memory behind this object's
 * lock. Thread-safe.
 */
public final class HuggingFaceApi implements EmulatedApi {

    /** The emulator's fixed settings. */
    public record Config(String namespace, String apiKey, long seed, List<String> baseModels, long lfsThresholdBytes,
                         Progression progression, EmulatorClock clock) {

        public Config {
            Objects.requireNonNull(namespace, "namespace");
            baseModels = List.copyOf(baseModels);
            Objects.requireNonNull(progression, "progression");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /** The base models the serving endpoint serves unless told otherwise. */
    public static final List<String> DEFAULT_BASE_MODELS = List.of("Qwen/Qwen2.5-0.5B-Instruct",
            "Qwen/Qwen2.5-1.5B-Instruct", "meta-llama/Llama-3.2-1B-Instruct");

    /** Files above this size go through LFS unless told otherwise (the Hub's 10 MiB rule). */
    public static final long DEFAULT_LFS_THRESHOLD = 10L * 1024 * 1024;

    private static final Pattern REPO_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");

    /** A file in a commit. */
    record StoredFile(byte[] content, boolean lfs) {

        String oid() {
            return lfs ? sha256(content) : gitOid(content);
        }
    }

    /** A commit: the whole tree after it. */
    record Commit(String oid, String summary, Instant at, Map<String, StoredFile> files) {}

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

    final Config config;
    final Ids ids;
    final FaultPlan faults = new FaultPlan();
    private volatile Supplier<String> rootUrl = () -> "http://localhost";

    // State, guarded by this.
    final Map<String, Repo> repos = new LinkedHashMap<>();
    final Map<String, byte[]> lfsObjects = new LinkedHashMap<>();
    final Deque<String> uploadRejections = new ArrayDeque<>();

    final HfJobs jobs;
    final HfServing serving;

    public HuggingFaceApi(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.ids = new Ids(config.seed());
        this.jobs = new HfJobs(this);
        this.serving = new HfServing(this);
    }

    /** Where the emulator is reachable ({@code http://localhost:PORT[/mount]}), for absolute URLs in answers. */
    public void rootUrl(Supplier<String> root) {
        this.rootUrl = Objects.requireNonNull(root, "root");
    }

    String root() {
        return rootUrl.get();
    }

    // ---------------------------------------------------------------- scripting and views

    @Override
    public FaultPlan faults() {
        return faults;
    }

    @Override
    public synchronized void failNextJob(String code, String message) {
        jobs.failures.add(new String[] {code, message});
    }

    @Override
    public synchronized void rejectNextUpload(String message) {
        uploadRejections.add(message);
    }

    @Override
    public synchronized void deleteModel(String id) {
        if (repos.remove(key("model", id)) == null) {
            throw new IllegalArgumentException("no model repository '" + id + "' exists in the emulator; known: "
                    + repos.values().stream().filter(r -> r.type.equals("model")).map(r -> r.id).toList());
        }
    }

    @Override
    public synchronized void advance(String jobId) {
        jobs.advance(jobId);
    }

    @Override
    public synchronized void finishAll() {
        jobs.finishAll();
    }

    @Override
    public synchronized List<EmulatedJob> jobSnapshots() {
        jobs.syncTimed();
        return jobs.snapshots();
    }

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

    @Override
    public synchronized List<String> modelIds() {
        jobs.syncTimed();
        return serving.modelIds();
    }

    /** A repository as seen by a test. */
    public record RepoView(String id, String type, boolean isPrivate, List<String> commits, Map<String, String> files,
                           Instant createdAt) {}

    public synchronized List<RepoView> repoViews() {
        List<RepoView> out = new ArrayList<>();
        for (Repo r : repos.values()) {
            Map<String, String> files = new LinkedHashMap<>();
            r.head().files().forEach((p, f) -> files.put(p, new String(f.content(), StandardCharsets.UTF_8)));
            out.add(new RepoView(r.id, r.type, r.isPrivate, r.commits.stream().map(Commit::oid).toList(), files,
                    r.createdAt));
        }
        return out;
    }

    @Override
    public synchronized void reset() {
        repos.clear();
        lfsObjects.clear();
        uploadRejections.clear();
        jobs.reset();
        faults.clear();
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    public Reply handle(HttpCall call) {
        Reply reply = faults.serve(call, HuggingFaceApi::rateLimited, HuggingFaceApi::serverError, () -> {
            synchronized (this) {
                try {
                    return route(call);
                } catch (HfErrors.ApiError e) {
                    return e.reply;
                }
            }
        });
        return reply.header("X-Request-Id", "Root=1-" + ids.hex(8) + "-" + ids.hex(24));
    }

    private static Reply rateLimited(long seconds) {
        return hub(429, null, "You have exceeded our rate limit; retry later.").reply
                .header("Retry-After", String.valueOf(seconds));
    }

    private static Reply serverError() {
        return hub(500, null, "Internal Error - We're working hard to fix this as soon as possible!").reply;
    }


    private Reply route(HttpCall call) {
        jobs.syncTimed();
        List<String> s = call.segments();
        String m = call.method();
        String first = call.segment(0);
        if (first.equals("v1")) {
            return serving.route(call);
        }
        if (first.equals("lfs-upload") && s.size() == 2 && m.equals("PUT")) {
            return lfsPut(s.get(1), call.body());
        }
        if (first.equals("lfs-verify") && s.size() == 2 && m.equals("POST")) {
            if (!lfsObjects.containsKey(s.get(1))) {
                throw hub(404, null, "Object " + s.get(1) + " not found");
            }
            return Reply.ok(Jsons.object()).header("Content-Type", "application/vnd.git-lfs+json");
        }
        if (first.equals("api")) {
            checkAuth(call);
            Reply r = apiRoute(call);
            if (r != null) {
                return r;
            }
            throw hub(404, null, "Sorry, we can't find the page you are looking for.");
        }
        int git = indexOfGit(s);
        if (git >= 0 && m.equals("POST") && s.size() == git + 5 && s.subList(git + 1, git + 5)
                .equals(List.of("info", "lfs", "objects", "batch"))) {
            checkAuth(call);
            return lfsBatch(call, s, git);
        }
        int resolve = s.indexOf("resolve");
        if (resolve >= 2 && s.size() > resolve + 2 && m.equals("GET")) {
            checkAuth(call);
            return resolve(s, resolve);
        }
        throw hub(404, null, "Sorry, we can't find the page you are looking for.");
    }

    private Reply apiRoute(HttpCall call) {
        List<String> s = call.segments();
        String m = call.method();
        int n = s.size();
        String second = call.segment(1);
        if (n == 2 && second.equals("whoami-v2") && m.equals("GET")) {
            return whoami();
        }
        if (second.equals("repos") && n == 3) {
            if (s.get(2).equals("create") && m.equals("POST")) {
                return createRepo(jsonBody(call));
            }
            if (s.get(2).equals("delete") && (m.equals("DELETE") || m.equals("POST"))) {
                return deleteRepo(jsonBody(call));
            }
        }
        if ((second.equals("datasets") || second.equals("models")) && n == 6) {
            String type = second.substring(0, second.length() - 1);
            String repoId = s.get(2) + "/" + s.get(3);
            switch (s.get(4) + " " + m) {
                case "preupload POST":
                    return preupload(type, repoId, s.get(5), jsonBody(call));
                case "commit POST":
                    return commit(call, type, repoId, s.get(5));
                case "revision GET":
                    return revision(type, repoId, s.get(5));
                default:
                    return null;
            }
        }
        if (second.equals("jobs")) {
            return jobs.route(call);
        }
        return null;
    }

    private void checkAuth(HttpCall call) {
        String header = call.header("authorization").orElse("");
        boolean bearer = header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.substring(7).isBlank();
        if (!bearer || (config.apiKey() != null && !config.apiKey().equals(header.substring(7).trim()))) {
            throw hub(401, null, "Invalid credentials in Authorization header");
        }
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
        me.put("name", config.namespace());
        me.put("fullname", config.namespace() + " (emulated)");
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
        String org = body.path("organization").isTextual() ? body.path("organization").asText() : config.namespace();
        if (!List.of("model", "dataset", "space").contains(type)) {
            throw badRequest("Invalid repo type \"" + type + "\": must be model, dataset or space");
        }
        if (!REPO_NAME.matcher(name).matches() || name.contains("--") || name.contains("..") || name.endsWith("-")
                || name.endsWith(".")) {
            throw badRequest("Invalid repo name \"" + name + "\": use letters, digits, '-', '_' and '.', "
                    + "no '--' or '..', at most 96 characters");
        }
        if (!org.equals(config.namespace())) {
            throw hub(403, null, "You don't have the rights to create a " + type + " under the namespace \"" + org + "\"");
        }
        boolean isPrivate = body.path("private").asBoolean(false)
                || "private".equals(body.path("visibility").asText(""));
        String id = org + "/" + name;
        return createRepo(type, id, isPrivate).map(r -> Reply.ok(Jsons.object().put("url", root() + "/" + r.urlPath())
                .put("name", id).put("id", ids.hex(24)))).orElseThrow(() -> {
                    HfErrors.ApiError e = hub(409, null, "You already created this " + type + " repo");
                    return e;
                });
    }

    /** Creates a repository with its initial commit, or empty when it exists. */
    Optional<Repo> createRepo(String type, String id, boolean isPrivate) {
        if (repos.containsKey(key(type, id))) {
            return Optional.empty();
        }
        Repo r = new Repo(type, id, isPrivate, config.clock().now());
        Map<String, StoredFile> files = new LinkedHashMap<>();
        files.put(".gitattributes", new StoredFile(("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
                + "*.bin filter=lfs diff=lfs merge=lfs -text\n").getBytes(StandardCharsets.UTF_8), false));
        r.commits.add(new Commit(ids.hex(40), "initial commit", config.clock().now(), files));
        repos.put(key(type, id), r);
        return Optional.of(r);
    }

    private Reply deleteRepo(ObjectNode body) {
        String type = body.path("type").isTextual() ? body.path("type").asText() : "model";
        String org = body.path("organization").isTextual() ? body.path("organization").asText() : config.namespace();
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
            o.put("uploadMode", size > config.lfsThresholdBytes() ? "lfs" : "regular");
            o.put("shouldIgnore", false);
            StoredFile existing = head.files().get(path);
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
        Map<String, StoredFile> files = new LinkedHashMap<>(head.files());
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
                    if (content.length > config.lfsThresholdBytes()) {
                        throw badRequest("Your push was rejected because it contains files larger than "
                                + config.lfsThresholdBytes() + " bytes (" + path + "). Please use LFS.");
                    }
                    files.put(path, new StoredFile(content, false));
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
                    files.put(path, new StoredFile(content, true));
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
        Commit c = new Commit(ids.hex(40), summary, config.clock().now(), files);
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
    Commit commitFiles(Repo repo, String summary, Map<String, StoredFile> changed) {
        Map<String, StoredFile> files = new LinkedHashMap<>(repo.head().files());
        files.putAll(changed);
        Commit c = new Commit(ids.hex(40), summary, config.clock().now(), files);
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

    private Reply resolve(List<String> s, int at) {
        boolean dataset = s.get(0).equals("datasets");
        int start = dataset ? 1 : 0;
        if (at - start != 2) {
            throw hub(404, null, "Sorry, we can't find the page you are looking for.");
        }
        String repoId = s.get(start) + "/" + s.get(start + 1);
        Repo repo = repo(dataset ? "dataset" : "model", repoId);
        String revision = s.get(at + 1);
        Commit c = repo.at(revision);
        if (c == null) {
            throw hub(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        String path = String.join("/", s.subList(at + 2, s.size()));
        StoredFile f = c.files().get(path);
        if (f == null) {
            throw hub(404, "EntryNotFound", "Entry not found: " + path + " in " + repoId + "@" + revision);
        }
        return Reply.status(200).header("Content-Type", path.endsWith(".json") ? "application/json"
                : "application/octet-stream").header("X-Repo-Commit", c.oid())
                .header("ETag", "\"" + f.oid() + "\"").body(f.content());
    }

    // ---------------------------------------------------------------- LFS

    private static int indexOfGit(List<String> s) {
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).endsWith(".git")) {
                return i;
            }
        }
        return -1;
    }

    private Reply lfsBatch(HttpCall call, List<String> s, int git) {
        boolean dataset = s.get(0).equals("datasets");
        int start = dataset ? 1 : 0;
        if (git - start != 1) {
            throw hub(404, null, "Sorry, we can't find the page you are looking for.");
        }
        String name = s.get(git).substring(0, s.get(git).length() - ".git".length());
        String repoId = s.get(start) + "/" + name;
        repo(dataset ? "dataset" : "model", repoId);
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
                    .put("expires_at", config.clock().now().plusSeconds(3600).toString());
            actions.putObject("verify").put("href", root() + "/lfs-verify/" + oid)
                    .put("expires_at", config.clock().now().plusSeconds(3600).toString());
        }
        ObjectNode out = Jsons.object().put("transfer", "basic");
        out.set("objects", objects);
        return Reply.ok(out).header("Content-Type", "application/vnd.git-lfs+json");
    }

    private Reply lfsPut(String oid, byte[] body) {
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
