package dev.finetune4j.testkit.internal.huggingface;

import static dev.finetune4j.testkit.internal.huggingface.HfErrors.badRequest;
import static dev.finetune4j.testkit.internal.huggingface.HfErrors.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Failure;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.JobBoard;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.TrainedModel;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Jobs API and what the shared job path means for its jobs: create (with the body shape
 * checked), inspect, list with label and stage filters and {@code Link} pages, cancel, logs
 * ({@link HfLogs}), and the hardware list. Stages {@code SCHEDULING} → {@code RUNNING} (the job
 * reads the dataset its command names) → {@code COMPLETED} (the adapter repository named by
 * {@code --hub_model_id} is created and served) or {@code ERROR}. Called under
 * {@link HuggingFaceApi}'s lock.
 */
final class HfJobs extends JobBoard<HfJob, HuggingFaceApi> {

    /** Jobs per page of {@code GET /api/jobs/{namespace}}. */
    static final int PAGE_SIZE = 20;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Set<String> FIELDS = Set.of("dockerImage", "spaceId", "command", "arguments", "environment",
            "secrets", "flavor", "timeoutSeconds", "labels", "volumes", "expose", "ssh", "resourceGroupId");

    /** Flavor, pretty name, USD per hour. */
    private static final String[][] HARDWARE = {
        {"cpu-basic", "CPU basic", "0.01"}, {"cpu-upgrade", "CPU upgrade", "0.03"}, {"t4-small", "Nvidia T4 - small", "0.40"},
        {"t4-medium", "Nvidia T4 - medium", "0.60"}, {"l4x1", "1x Nvidia L4", "0.80"},
        {"a10g-small", "Nvidia A10G - small", "1.00"}, {"a10g-large", "Nvidia A10G - large", "1.50"},
        {"a10g-largex2", "2x Nvidia A10G - large", "3.00"}, {"a100-large", "Nvidia A100 - large", "2.50"},
        {"h200", "Nvidia H200", "5.00"},
    };

    HfJobs(HuggingFaceApi api) {
        super(api);
    }

    void routes(Routes r) {
        r.get("/api/jobs/hardware", call -> hardware());
        collection(r, "/api/jobs/{ns}", call -> create(HuggingFaceApi.jsonBody(namespace(call, call))),
                call -> list(namespace(call, call)), job -> Reply.ok(job.toJson(api.namespace)));
        r.post("/api/jobs/{ns}/{id}/cancel", call -> {
            HfJob job = job(call);
            if (!job.terminal()) {
                job.stage = "CANCELED";
                job.message = "Job canceled by the user";
                job.finishedAt = api.settings().clock().now();
            }
            return Reply.status(200);
        }).get("/api/jobs/{ns}/{id}/logs", call -> HfLogs.reply(job(call), call));
    }

    /** {@code value}, once the call's namespace is the token owner's (else 403). */
    private <T> T namespace(HttpCall call, T value) {
        String ns = call.param("ns");
        if (!ns.equals(api.namespace)) {
            throw hub(403, null, "You don't have the rights to run jobs under the namespace \"" + ns + "\"");
        }
        return value;
    }

    @Override
    protected HfJob job(HttpCall call) {
        return super.job(namespace(call, call));
    }

    @Override
    protected ApiError unknownJob(String id) {
        return hub(404, null, "Job " + id + " not found");
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
        HfJob job = new HfJob(api.ids().hex(24), api.settings().clock().now(), body.deepCopy(), nextFailure());
        add(job);
        return Reply.ok(job.toJson(api.namespace));
    }

    private static boolean allText(JsonNode container) {
        for (JsonNode v : container) {
            if (!v.isTextual()) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- the job path

    /** Created scheduled: nothing to validate. */
    @Override
    protected boolean accept(HfJob job) {
        return true;
    }

    /** Reads the dataset the command names, at its revision; what is wrong with it ends the job later. */
    @Override
    protected void start(HfJob job) {
        job.stage = "RUNNING";
        job.startedAt = api.settings().clock().now();
        job.training(TrainingSet.empty());
        String repo = job.flag("--dataset_name");
        if (repo == null) {
            return;
        }
        String revision = job.flag("--dataset_revision", "main");
        String path = job.flag("--train_file", "train.jsonl");
        HuggingFaceApi.Repo r = api.repos.get(HuggingFaceApi.key("dataset", repo));
        HuggingFaceApi.Commit c = r == null ? null : r.at(revision);
        HuggingFaceApi.RepoFile f = c == null ? null : c.files().get(path);
        if (f == null) {
            job.dataProblem = "datasets.exceptions.DatasetNotFoundError: " + (r == null ? "Dataset '" + repo
                    + "' doesn't exist on the Hub or cannot be accessed." : c == null ? "Revision '" + revision
                    + "' doesn't exist for dataset '" + repo + "' on the Hub." : "File '" + path + "' not found in '"
                    + repo + "' at revision '" + revision + "'.");
            return;
        }
        TrainingSet.Parsed parsed = TrainingSet.parse(new String(f.content(), StandardCharsets.UTF_8),
                TrainingSet.Shape.CHAT, TokenCounter.forModel(job.flag("--model_name_or_path", "")));
        if (!parsed.ok()) {
            job.dataProblem = "ValueError: " + path + " line " + parsed.problem().line() + ": "
                    + parsed.problem().message();
            return;
        }
        String parent = job.flag("--adapter_name_or_path");
        TrainedModel parentAdapter = parent == null ? null : api.adapter(parent);
        job.training(parentAdapter == null ? parsed.set() : parentAdapter.examples.plus(parsed.set()));
    }

    @Override
    protected void fail(HfJob job, Failure failure) {
        end(job, "ERROR", failure.code(), failure.message());
    }

    /** Pushes the adapter to {@code --hub_model_id} (unless the data was bad or the namespace is not the owner's). */
    @Override
    protected void succeed(HfJob job) {
        if (job.dataProblem != null) {
            end(job, "ERROR", "data_error", job.dataProblem);
            return;
        }
        String hubModelId = job.flag("--hub_model_id");
        if (hubModelId != null) {
            int slash = hubModelId.indexOf('/');
            String ns = slash > 0 ? hubModelId.substring(0, slash) : api.namespace;
            if (!ns.equals(api.namespace) || slash < 0) {
                end(job, "ERROR", "push_failed", "huggingface_hub.errors.HfHubHTTPError: 403 Forbidden: You don't have "
                        + "the rights to create a model under the namespace \"" + ns + "\"");
                return;
            }
            HuggingFaceApi.Repo repo = api.createRepo("model", hubModelId, true)
                    .orElseGet(() -> api.repos.get(HuggingFaceApi.key("model", hubModelId)));
            String base = job.flag("--model_name_or_path", "null");
            ObjectNode config = Jsons.object().put("base_model_name_or_path", base).put("peft_type", "LORA")
                    .put("task_type", "CAUSAL_LM").put("r", job.intFlag("--lora_r", 16))
                    .put("lora_alpha", job.intFlag("--lora_alpha", 32));
            targetModules(config, job.words("--lora_target_modules"));
            Map<String, HuggingFaceApi.RepoFile> files = new LinkedHashMap<>();
            files.put("adapter_config.json", HuggingFaceApi.RepoFile.of(Jsons.write(config), false));
            files.put("adapter_model.safetensors", HuggingFaceApi.RepoFile.of("emulated LoRA weights of job " + job.id,
                    true));
            files.put("README.md", HuggingFaceApi.RepoFile.of("---\nbase_model: " + base + "\nlibrary_name: peft\n"
                    + "tags: [trl, sft, finetune4j-emulator]\n---\n", false));
            api.commitFiles(repo, "End of training", files);
            api.addModel(new TrainedModel(hubModelId, base, job.id, api.epochSecond(), job.training));
        }
        end(job, "COMPLETED", null, null);
    }

    private void end(HfJob job, String stage, String errorCode, String message) {
        job.finishedAt = api.settings().clock().now();
        job.stage = stage;
        job.errorCode = errorCode;
        job.message = message;
    }

    // ---------------------------------------------------------------- list and hardware

    private Reply list(HttpCall call) {
        List<String[]> labels = new ArrayList<>();
        for (String l : call.query().getOrDefault("label", List.of())) {
            int eq = l.indexOf('=');
            labels.add(eq < 0 ? new String[] {l, null} : new String[] {l.substring(0, eq), l.substring(eq + 1)});
        }
        List<String> stages = call.query().getOrDefault("stage", List.of());
        List<HfJob> matching = new ArrayList<>();
        for (HfJob j : all()) {
            boolean ok = stages.isEmpty() || stages.contains(j.stage);
            for (String[] l : labels) {
                JsonNode v = j.spec.path("labels").path(l[0]);
                ok &= v.isTextual() && (l[1] == null || v.asText().equals(l[1]));
            }
            if (ok) {
                matching.add(0, j);
            }
        }
        int page;
        try {
            page = Math.max(1, Integer.parseInt(call.queryParam("page").orElse("1")));
        } catch (NumberFormatException e) {
            throw badRequest("\"page\" must be a positive integer");
        }
        ArrayNode out = Jsons.array();
        matching.stream().skip((long) (page - 1) * PAGE_SIZE).limit(PAGE_SIZE).forEach(j -> out.add(j.toJson(api.namespace)));
        Reply r = Reply.ok(out);
        if ((long) page * PAGE_SIZE < matching.size()) {
            StringBuilder next = new StringBuilder(api.root()).append("/api/jobs/").append(api.namespace)
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

    private static Reply hardware() {
        ArrayNode out = Jsons.array();
        for (String[] h : HARDWARE) {
            boolean cpu = h[0].startsWith("cpu");
            BigDecimal perMinute = new BigDecimal(h[2]).divide(BigDecimal.valueOf(60), MathContext.DECIMAL64);
            ObjectNode o = out.addObject();
            o.put("name", h[0]);
            o.put("prettyName", h[1]);
            o.put("cpu", cpu ? "2 vCPU" : "4 vCPU");
            o.put("ram", cpu ? "16 GB" : "15 GB");
            if (cpu) {
                o.putNull("accelerator");
            } else {
                o.putObject("accelerator").put("model", h[1]).put("quantity", "1");
            }
            o.put("unitCostMicroUSD", perMinute.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValue());
            o.put("unitCostUSD", perMinute.setScale(6, RoundingMode.HALF_UP).doubleValue());
            o.put("unitLabel", "minute");
        }
        return Reply.ok(out);
    }

    private static List<String> hardwareNames() {
        List<String> names = new ArrayList<>();
        for (String[] h : HARDWARE) {
            names.add(h[0]);
        }
        return names;
    }

    /**
     * What PEFT writes as {@code target_modules}: {@code "all-linear"} as a string, the named modules as a
     * list, and without the flag its default for Llama-type models, {@code q_proj} and {@code v_proj} (seen in
     * a real run of the training script, docs/huggingface.md).
     */
    private static void targetModules(ObjectNode config, List<String> named) {
        if (named.size() == 1 && named.get(0).equals("all-linear")) {
            config.put("target_modules", "all-linear");
            return;
        }
        ArrayNode modules = config.putArray("target_modules");
        (named.isEmpty() ? List.of("q_proj", "v_proj") : named).forEach(modules::add);
    }
}
