package dev.finetune4j.testkit.internal.huggingface;

import static dev.finetune4j.testkit.internal.huggingface.HfErrors.badRequest;
import static dev.finetune4j.testkit.internal.huggingface.HfErrors.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Progression;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Jobs API: create (with the body shape checked), inspect, list with label and stage filters
 * and {@code Link} pages, cancel, logs as server-sent events with the trainer's log dicts, and the
 * hardware list. Stages {@code SCHEDULING} → {@code RUNNING} → {@code COMPLETED} (or {@code ERROR})
 * on the emulator's progression; on completion the adapter repository named by the command's
 * {@code --hub_model_id} is created and served. Called under {@link HuggingFaceApi}'s lock.
 */
final class HfJobs {

    /** Jobs per page of {@code GET /api/jobs/{namespace}}. */
    static final int PAGE_SIZE = 20;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "CANCELED", "ERROR", "DELETED");
    private static final Set<String> FIELDS = Set.of("dockerImage", "spaceId", "command", "arguments", "environment",
            "secrets", "flavor", "timeoutSeconds", "labels", "volumes", "expose", "ssh", "resourceGroupId");

    /** Flavor, pretty name, USD per hour. */
    private static final Object[][] HARDWARE = {
        {"cpu-basic", "CPU basic", "0.01"}, {"cpu-upgrade", "CPU upgrade", "0.03"}, {"t4-small", "Nvidia T4 - small", "0.40"},
        {"t4-medium", "Nvidia T4 - medium", "0.60"}, {"l4x1", "1x Nvidia L4", "0.80"},
        {"a10g-small", "Nvidia A10G - small", "1.00"}, {"a10g-large", "Nvidia A10G - large", "1.50"},
        {"a10g-largex2", "2x Nvidia A10G - large", "3.00"}, {"a100-large", "Nvidia A100 - large", "2.50"},
        {"h200", "Nvidia H200", "5.00"},
    };

    /** One job. */
    static final class Job {
        final String id;
        final Instant createdAt;
        final ObjectNode spec;
        final List<String> args = new ArrayList<>();
        String stage = "SCHEDULING";
        String message;
        String errorCode;
        int position;
        Instant startedAt;
        Instant finishedAt;
        Instant timedSince;
        int timedBase;
        String[] failure;
        TrainingSet examples;
        String dataProblem;

        Job(String id, Instant createdAt, ObjectNode spec) {
            this.id = id;
            this.createdAt = createdAt;
            this.spec = spec;
            spec.path("command").forEach(n -> args.add(n.asText()));
            spec.path("arguments").forEach(n -> args.add(n.asText()));
            this.timedSince = createdAt;
        }

        boolean terminal() {
            return TERMINAL.contains(stage);
        }

        String flag(String name) {
            String value = null;
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).equals(name) && i + 1 < args.size()) {
                    value = args.get(i + 1);
                } else if (args.get(i).startsWith(name + "=")) {
                    value = args.get(i).substring(name.length() + 1);
                }
            }
            return value;
        }

        int intFlag(String name, int dflt) {
            try {
                String v = flag(name);
                return v == null ? dflt : Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
    }

    /** A trained adapter: its base model and what it answers from. */
    record Adapter(String base, TrainingSet examples, String jobId) {}

    private final HuggingFaceApi api;
    final Map<String, Job> jobs = new LinkedHashMap<>();
    final Map<String, Adapter> adapters = new LinkedHashMap<>();
    final Deque<String[]> failures = new ArrayDeque<>();

    HfJobs(HuggingFaceApi api) {
        this.api = api;
    }

    void reset() {
        jobs.clear();
        adapters.clear();
        failures.clear();
    }

    Reply route(HttpCall call) {
        List<String> s = call.segments();
        String m = call.method();
        int n = s.size();
        if (n == 3 && s.get(2).equals("hardware") && m.equals("GET")) {
            return hardware();
        }
        if (n < 3) {
            return null;
        }
        String ns = s.get(2);
        if (!ns.equals(api.config.namespace())) {
            throw hub(403, null, "You don't have the rights to run jobs under the namespace \"" + ns + "\"");
        }
        if (n == 3 && m.equals("POST")) {
            return create(HuggingFaceApi.jsonBody(call));
        }
        if (n == 3 && m.equals("GET")) {
            return list(call);
        }
        Job job = job(s.get(3));
        if (n == 4 && m.equals("GET")) {
            if (api.config.progression().mode() == Progression.Mode.ON_POLL) {
                step(job);
            }
            return Reply.ok(toJson(job));
        }
        if (n == 5 && s.get(4).equals("cancel") && m.equals("POST")) {
            if (!job.terminal()) {
                job.stage = "CANCELED";
                job.message = "Job canceled by the user";
                job.finishedAt = api.config.clock().now();
            }
            return Reply.status(200);
        }
        if (n == 5 && s.get(4).equals("logs") && m.equals("GET")) {
            return logs(job, call);
        }
        return null;
    }

    private Job job(String id) {
        Job j = jobs.get(id);
        if (j == null) {
            throw hub(404, null, "Job " + id + " not found");
        }
        return j;
    }

    // ---------------------------------------------------------------- create

    private Reply create(ObjectNode body) {
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw badRequest("Unknown field \"" + f + "\" in the job spec");
            }
        }
        boolean image = body.path("dockerImage").isTextual() && !body.path("dockerImage").asText().isBlank();
        boolean space = body.path("spaceId").isTextual() && !body.path("spaceId").asText().isBlank();
        if (image == space) {
            throw badRequest("A job needs exactly one of \"dockerImage\" and \"spaceId\"");
        }
        JsonNode command = body.path("command");
        if (!command.isArray() || command.isEmpty() || !allText(command)) {
            throw badRequest("\"command\" must be a non-empty array of strings");
        }
        if (body.has("arguments") && (!body.get("arguments").isArray() || !allText(body.get("arguments")))) {
            throw badRequest("\"arguments\" must be an array of strings");
        }
        for (String map : List.of("environment", "secrets", "labels")) {
            JsonNode v = body.path(map);
            if (!v.isMissingNode() && !(v.isObject() && allText(v))) {
                throw badRequest("\"" + map + "\" must be an object of strings");
            }
        }
        if (body.path("environment").has("HF_TOKEN")) {
            throw badRequest("HF_TOKEN must be passed in \"secrets\", not in \"environment\" (the environment is "
                    + "visible to anyone who can read the job)");
        }
        String flavor = body.path("flavor").asText("cpu-basic");
        if (!hardwareNames().contains(flavor)) {
            throw badRequest("Invalid flavor \"" + flavor + "\"; available: " + String.join(", ", hardwareNames()));
        }
        JsonNode timeout = body.path("timeoutSeconds");
        if (!timeout.isMissingNode() && !(timeout.canConvertToLong() && timeout.asLong() > 0)) {
            throw badRequest("\"timeoutSeconds\" must be a positive integer");
        }
        for (var it = body.path("labels").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!LABEL.matcher(e.getKey()).matches() || !LABEL.matcher(e.getValue().asText()).matches()) {
                throw badRequest("Invalid label " + e.getKey() + "=" + e.getValue().asText()
                        + ": keys and values are 1 to 100 characters of [A-Za-z0-9._-]");
            }
        }
        Job job = new Job(api.ids.hex(24), api.config.clock().now(), body.deepCopy());
        job.failure = failures.poll();
        jobs.put(job.id, job);
        return Reply.ok(toJson(job));
    }

    private static boolean allText(JsonNode container) {
        for (JsonNode v : container) {
            if (!v.isTextual()) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- progression

    /** One stage on: SCHEDULING → RUNNING → COMPLETED / ERROR. */
    void step(Job job) {
        moveTo(job, job.position + 1);
    }

    void advance(String jobId) {
        Job j = jobs.get(jobId);
        if (j == null) {
            throw new IllegalArgumentException("no job '" + jobId + "' in the emulator; known: " + jobs.keySet());
        }
        syncTimed();
        step(j);
    }

    void finishAll() {
        syncTimed();
        for (Job j : jobs.values()) {
            moveTo(j, 2);
        }
    }

    void syncTimed() {
        if (api.config.progression().mode() != Progression.Mode.TIMED) {
            return;
        }
        long stepMillis = Math.max(1, api.config.progression().step().toMillis());
        long now = api.config.clock().now().toEpochMilli();
        for (Job j : jobs.values()) {
            long elapsed = (now - j.timedSince.toEpochMilli()) / stepMillis;
            moveTo(j, (int) Math.min(2, j.timedBase + elapsed));
        }
    }

    private void moveTo(Job job, int target) {
        if (job.terminal()) {
            return;
        }
        int before = job.position;
        if (job.position < 1 && target >= 1) {
            job.position = 1;
            start(job);
        }
        if (job.position < 2 && target >= 2) {
            job.position = 2;
            finish(job);
        }
        if (job.position != before) {
            job.timedBase = job.position;
            job.timedSince = api.config.clock().now();
        }
    }

    private void start(Job job) {
        job.stage = "RUNNING";
        job.startedAt = api.config.clock().now();
        String repo = job.flag("--dataset_name");
        if (repo == null) {
            job.examples = TrainingSet.empty();
            return;
        }
        String revision = job.flag("--dataset_revision") == null ? "main" : job.flag("--dataset_revision");
        String path = job.flag("--train_file") == null ? "train.jsonl" : job.flag("--train_file");
        HuggingFaceApi.Repo r = api.repos.get(HuggingFaceApi.key("dataset", repo));
        HuggingFaceApi.Commit c = r == null ? null : r.at(revision);
        HuggingFaceApi.StoredFile f = c == null ? null : c.files().get(path);
        if (f == null) {
            job.dataProblem = "datasets.exceptions.DatasetNotFoundError: " + (r == null ? "Dataset '" + repo
                    + "' doesn't exist on the Hub or cannot be accessed." : c == null ? "Revision '" + revision
                    + "' doesn't exist for dataset '" + repo + "' on the Hub." : "File '" + path + "' not found in '"
                    + repo + "' at revision '" + revision + "'.");
            job.examples = TrainingSet.empty();
            return;
        }
        TrainingSet.Parsed parsed = TrainingSet.parse(new String(f.content(), StandardCharsets.UTF_8),
                TrainingSet.Shape.CHAT, TokenCounter.forModel(String.valueOf(job.flag("--model_name_or_path"))));
        if (!parsed.ok()) {
            job.dataProblem = "ValueError: " + path + " line " + parsed.problem().line() + ": "
                    + parsed.problem().message();
            job.examples = TrainingSet.empty();
            return;
        }
        TrainingSet examples = parsed.set();
        String parent = job.flag("--adapter_name_or_path");
        Adapter parentAdapter = parent == null ? null : adapters.get(parent);
        if (parentAdapter != null) {
            examples = parentAdapter.examples().plus(examples);
        }
        job.examples = examples;
    }

    private void finish(Job job) {
        job.finishedAt = api.config.clock().now();
        if (job.failure != null || job.dataProblem != null) {
            job.stage = "ERROR";
            job.errorCode = job.failure != null ? job.failure[0] : "data_error";
            job.message = job.failure != null ? job.failure[1] : job.dataProblem;
            return;
        }
        String hubModelId = job.flag("--hub_model_id");
        if (hubModelId != null) {
            int slash = hubModelId.indexOf('/');
            String ns = slash > 0 ? hubModelId.substring(0, slash) : api.config.namespace();
            if (!ns.equals(api.config.namespace()) || slash < 0) {
                job.stage = "ERROR";
                job.errorCode = "push_failed";
                job.message = "huggingface_hub.errors.HfHubHTTPError: 403 Forbidden: You don't have the rights to "
                        + "create a model under the namespace \"" + ns + "\"";
                return;
            }
            HuggingFaceApi.Repo repo = api.createRepo("model", hubModelId, true)
                    .orElseGet(() -> api.repos.get(HuggingFaceApi.key("model", hubModelId)));
            String base = String.valueOf(job.flag("--model_name_or_path"));
            ObjectNode config = Jsons.object().put("base_model_name_or_path", base).put("peft_type", "LORA")
                    .put("task_type", "CAUSAL_LM").put("r", job.intFlag("--lora_r", 16))
                    .put("lora_alpha", job.intFlag("--lora_alpha", 32)).put("target_modules", "all-linear");
            Map<String, HuggingFaceApi.StoredFile> files = new LinkedHashMap<>();
            files.put("adapter_config.json", new HuggingFaceApi.StoredFile(Jsons.write(config)
                    .getBytes(StandardCharsets.UTF_8), false));
            files.put("adapter_model.safetensors", new HuggingFaceApi.StoredFile(("emulated LoRA weights of job "
                    + job.id).getBytes(StandardCharsets.UTF_8), true));
            files.put("README.md", new HuggingFaceApi.StoredFile(("---\nbase_model: " + base + "\nlibrary_name: peft\n"
                    + "tags: [trl, sft, finetune4j-emulator]\n---\n").getBytes(StandardCharsets.UTF_8), false));
            api.commitFiles(repo, "End of training", files);
            adapters.put(hubModelId, new Adapter(base, job.examples, job.id));
        }
        job.stage = "COMPLETED";
    }

    // ---------------------------------------------------------------- views

    ObjectNode toJson(Job j) {
        ObjectNode o = Jsons.object();
        o.put("id", j.id);
        o.put("createdAt", j.createdAt.toString());
        putNullable(o, "startedAt", j.startedAt);
        putNullable(o, "finishedAt", j.finishedAt);
        if (j.spec.has("dockerImage")) {
            o.put("dockerImage", j.spec.get("dockerImage").asText());
        } else {
            o.put("spaceId", j.spec.get("spaceId").asText());
        }
        ObjectNode owner = o.putObject("owner").put("id", "emulated-user").put("name", api.config.namespace())
                .put("type", "user");
        o.set("initiator", owner.deepCopy());
        o.set("command", j.spec.path("command").deepCopy());
        o.set("arguments", j.spec.has("arguments") ? j.spec.get("arguments").deepCopy() : Jsons.array());
        o.set("environment", j.spec.has("environment") ? j.spec.get("environment").deepCopy() : Jsons.object());
        ArrayNode secrets = o.putArray("secrets");
        j.spec.path("secrets").fieldNames().forEachRemaining(secrets::add);
        o.put("flavor", j.spec.path("flavor").asText("cpu-basic"));
        if (j.spec.has("timeoutSeconds")) {
            o.put("timeoutSeconds", j.spec.get("timeoutSeconds").asLong());
        }
        o.set("labels", j.spec.has("labels") ? j.spec.get("labels").deepCopy() : Jsons.object());
        ObjectNode status = o.putObject("status").put("stage", j.stage);
        if (j.message == null) {
            status.putNull("message");
        } else {
            status.put("message", j.message);
        }
        status.putArray("exposeUrls");
        status.putNull("sshUrl");
        return o;
    }

    private static void putNullable(ObjectNode o, String field, Instant v) {
        if (v == null) {
            o.putNull(field);
        } else {
            o.put(field, v.toString());
        }
    }

    List<EmulatedJob> snapshots() {
        List<EmulatedJob> out = new ArrayList<>();
        for (Job j : jobs.values()) {
            String repo = j.flag("--dataset_name");
            String rev = j.flag("--dataset_revision") == null ? "main" : j.flag("--dataset_revision");
            List<String> training = repo == null ? List.of() : List.of(repo + "@" + rev + ":"
                    + (j.flag("--train_file") == null ? "train.jsonl" : j.flag("--train_file")));
            String validation = repo == null || j.flag("--validation_file") == null ? null
                    : repo + "@" + rev + ":" + j.flag("--validation_file");
            Map<String, String> labels = new LinkedHashMap<>();
            j.spec.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            String model = j.flag("--model_name_or_path");
            out.add(new EmulatedJob(j.id, model == null ? "" : model, j.stage, training, validation, null, labels,
                    j.stage.equals("COMPLETED") ? j.flag("--hub_model_id") : null,
                    j.stage.equals("ERROR") ? j.errorCode : null, j.stage.equals("ERROR") ? j.message : null, null,
                    j.createdAt));
        }
        return out;
    }

    // ---------------------------------------------------------------- list

    private Reply list(HttpCall call) {
        List<String[]> labels = new ArrayList<>();
        for (String l : call.query().getOrDefault("label", List.of())) {
            int eq = l.indexOf('=');
            labels.add(eq < 0 ? new String[] {l, null} : new String[] {l.substring(0, eq), l.substring(eq + 1)});
        }
        List<String> stages = call.query().getOrDefault("stage", List.of());
        List<Job> matching = new ArrayList<>();
        for (Job j : jobs.values()) {
            boolean ok = stages.isEmpty() || stages.contains(j.stage);
            for (String[] l : labels) {
                JsonNode v = j.spec.path("labels").path(l[0]);
                ok &= v.isTextual() && (l[1] == null || v.asText().equals(l[1]));
            }
            if (ok) {
                matching.add(0, j);
            }
        }
        int page = 1;
        try {
            page = Math.max(1, Integer.parseInt(call.queryParam("page").orElse("1")));
        } catch (NumberFormatException e) {
            throw badRequest("\"page\" must be a positive integer");
        }
        ArrayNode out = Jsons.array();
        matching.stream().skip((long) (page - 1) * PAGE_SIZE).limit(PAGE_SIZE).forEach(j -> out.add(toJson(j)));
        Reply r = Reply.ok(out);
        if ((long) page * PAGE_SIZE < matching.size()) {
            StringBuilder next = new StringBuilder(api.root()).append("/api/jobs/").append(api.config.namespace())
                    .append("?page=").append(page + 1);
            for (String l : call.query().getOrDefault("label", List.of())) {
                next.append("&label=").append(URLEncoder.encode(l, StandardCharsets.UTF_8));
            }
            for (String st : stages) {
                next.append("&stage=").append(URLEncoder.encode(st, StandardCharsets.UTF_8));
            }
            r.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return r;
    }

    private Reply hardware() {
        ArrayNode out = Jsons.array();
        for (Object[] h : HARDWARE) {
            BigDecimal hourly = new BigDecimal((String) h[2]);
            BigDecimal perMinute = hourly.divide(BigDecimal.valueOf(60), MathContext.DECIMAL64);
            ObjectNode o = out.addObject();
            o.put("name", (String) h[0]);
            o.put("prettyName", (String) h[1]);
            o.put("cpu", ((String) h[0]).startsWith("cpu") ? "2 vCPU" : "4 vCPU");
            o.put("ram", ((String) h[0]).startsWith("cpu") ? "16 GB" : "15 GB");
            if (((String) h[0]).startsWith("cpu")) {
                o.putNull("accelerator");
            } else {
                o.putObject("accelerator").put("model", (String) h[1]).put("quantity", "1");
            }
            o.put("unitCostMicroUSD", perMinute.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValue());
            o.put("unitCostUSD", perMinute.setScale(6, java.math.RoundingMode.HALF_UP).doubleValue());
            o.put("unitLabel", "minute");
        }
        return Reply.ok(out);
    }

    private static List<String> hardwareNames() {
        List<String> names = new ArrayList<>();
        for (Object[] h : HARDWARE) {
            names.add((String) h[0]);
        }
        return names;
    }

    // ---------------------------------------------------------------- logs

    private Reply logs(Job job, HttpCall call) {
        List<String> lines = logLines(job);
        int tail = -1;
        try {
            tail = Integer.parseInt(call.queryParam("tail").orElse("-1"));
        } catch (NumberFormatException e) {
            throw badRequest("\"tail\" must be an integer");
        }
        if (tail >= 0 && tail < lines.size()) {
            lines = lines.subList(lines.size() - tail, lines.size());
        }
        Instant t0 = job.startedAt != null ? job.startedAt : job.createdAt;
        StringBuilder sse = new StringBuilder(": keep-alive\n\n");
        int i = 0;
        for (String line : lines) {
            ObjectNode event = Jsons.object().put("data", line).put("timestamp", t0.plusSeconds(i++).toString());
            sse.append("data: ").append(Jsons.write(event)).append("\n\n");
        }
        if (!job.terminal()) {
            sse.append(": keep-alive\n\n");
        }
        return Reply.status(200).header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache")
                .body(sse.toString());
    }

    /** The log a job has printed so far. */
    List<String> logLines(Job job) {
        List<String> out = new ArrayList<>();
        if (job.startedAt == null) {
            return out;
        }
        out.add("===== Job started at " + job.startedAt + " =====");
        out.add("Loading base model " + job.flag("--model_name_or_path") + " ...");
        if (job.dataProblem != null && job.terminal()) {
            out.add("Traceback (most recent call last):");
            out.add("  File \"/tmp/finetune4j_sft.py\", line 1, in <module>");
            out.add(job.dataProblem);
            return out;
        }
        int examples = job.examples == null ? 0 : job.examples.size();
        int epochs = Math.max(1, job.intFlag("--num_train_epochs", 3));
        int batch = Math.max(1, job.intFlag("--per_device_train_batch_size", 8));
        int perEpoch = Math.max(1, (examples + batch - 1) / batch);
        int total = perEpoch * epochs;
        int every = Math.max(1, job.intFlag("--logging_steps", 10));
        boolean eval = job.flag("--validation_file") != null;
        double lr = 2e-4;
        try {
            lr = Double.parseDouble(String.valueOf(job.flag("--learning_rate")));
        } catch (NumberFormatException e) {
            // the default
        }
        out.add("Loaded " + examples + " training examples; " + total + " steps (" + epochs + " epochs of " + perEpoch
                + ")");
        boolean done = job.terminal() && !job.stage.equals("CANCELED");
        int upTo = done ? total : Math.max(0, total / 2);
        if (job.stage.equals("ERROR") && job.failure != null) {
            upTo = total / 2;
        }
        double lossSum = 0;
        int lossCount = 0;
        for (int step = 1; step <= upTo; step++) {
            boolean epochEnd = step % perEpoch == 0;
            if (step % every == 0 || step == total || (epochEnd && every > perEpoch)) {
                double loss = loss(step, total);
                lossSum += loss;
                lossCount++;
                out.add("{'loss': " + py(loss) + ", 'grad_norm': " + py(0.4 + 1.1 * (1 - (double) step / total))
                        + ", 'learning_rate': " + py(lr * (1 - (double) (step - 1) / total)) + ", 'mean_token_accuracy': "
                        + py(0.55 + 0.4 * step / total) + ", 'epoch': " + py((double) step / perEpoch) + "}");
            }
            if (eval && epochEnd) {
                out.add("{'eval_loss': " + py(loss(step, total) + 0.08) + ", 'eval_runtime': 0.42, "
                        + "'eval_mean_token_accuracy': " + py(0.52 + 0.38 * step / total) + ", 'epoch': "
                        + py((double) step / perEpoch) + "}");
            }
        }
        if (job.stage.equals("ERROR")) {
            out.add("Traceback (most recent call last):");
            out.add("RuntimeError: " + job.message);
            return out;
        }
        if (done) {
            out.add("{'train_runtime': " + py(12.5 + total * 0.8) + ", 'train_samples_per_second': 4.1, "
                    + "'train_steps_per_second': 1.2, 'train_loss': " + py(lossCount == 0 ? 0 : lossSum / lossCount)
                    + ", 'epoch': " + py(epochs) + "}");
            String hub = job.flag("--hub_model_id");
            if (hub != null) {
                out.add("finetune4j: adapter pushed to " + hub);
            }
        }
        return out;
    }

    /** A strictly decreasing training loss. */
    private static double loss(int step, int total) {
        return 0.35 + 1.9 * Math.exp(-3.0 * step / total);
    }

    /** A float as Python prints a rounded one: {@code 1.2345}, {@code 2.0}, {@code 0.0002}. */
    private static String py(double v) {
        String s = new BigDecimal(v).round(new MathContext(5)).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }
}
