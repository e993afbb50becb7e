package dev.finetune4j.huggingface.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.huggingface.HuggingFaceOptions;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.spi.kit.ProviderJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs the SFT script the provider ships ({@code finetune4j_sft.py}) for real: the exact command
 * and environment of the job body {@link JobSpecs#body} builds, in a Python environment with TRL,
 * on a tiny randomly initialised Llama built locally, two steps on CPU, nothing downloaded.
 * Then continues the adapter it wrote (the continue-from-version path) and checks the weights
 * moved from there.
 *
 * <p>Developer-run, not CI: it needs the {@code trl-check} profile, which builds the Python
 * environment and the model in {@code target/} and sets the system properties read here.
 * Without them the test is skipped (and it is tagged {@code trl}).
 *
 * <pre>mvn -B -P trl-check -pl sdk-huggingface -am verify -Dtest=TrainingScriptTrlTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("trl")
@EnabledIfSystemProperty(named = "finetune4j.trl.python", matches = ".+")
class TrainingScriptTrlTest {

    private static final String COMMIT = "c0ffee0000000000000000000000000000000001";
    private static final String TAG = "ftj-0a1b2c3d4e5f";
    private static final int TRAIN_EXAMPLES = 16;
    private static final Duration RUN_LIMIT = Duration.ofMinutes(15);

    /** Only what a CPU needs, and what keeps the adapter on disk instead of the Hub; the rest is the job's. */
    private static List<String> localArgs(Path output) {
        return List.of("--output_dir", output.toString(), "--push_to_hub", "false", "--max_steps", "2",
                "--per_device_train_batch_size", "2", "--use_cpu", "true");
    }

    private final Path python = Path.of(System.getProperty("finetune4j.trl.python")).toAbsolutePath();
    private final Path model = Path.of(System.getProperty("finetune4j.trl.model")).toAbsolutePath();
    private final Path work = Path.of(System.getProperty("finetune4j.trl.work", "target/trl-check")).toAbsolutePath();

    @Test
    void theShippedScriptTrainsAnAdapterAndContinuesIt() throws Exception {
        Files.createDirectories(work);
        Path data = writeDataset(work.resolve("dataset"));
        UploadedData uploaded = new UploadedData(data + "@" + COMMIT + ":" + DatasetUploader.TRAIN_PATH,
                data + "@" + COMMIT + ":" + DatasetUploader.VALIDATION_PATH,
                Map.of("training_examples", Integer.toString(TRAIN_EXAMPLES)));

        // 1. A new adapter on the base model, as for a first model version.
        Path first = work.resolve("adapter-1");
        JobSpecs.Plan plan1 = JobSpecs.plan(request(model.toString(), uploaded, first), "acme",
                JobSpecs.Defaults.builtIn(), notAnAdapter());
        assertThat(plan1.continues()).isFalse();
        String log1 = run(JobSpecs.body(plan1, "hf_not_a_real_token"), work.resolve("run-1.log"));

        assertThat(log1).contains("finetune4j: " + data + "@" + COMMIT + ": train " + TRAIN_EXAMPLES
                + " examples, validation 4 examples");
        List<MetricPoint> points1 = metrics(log1);
        assertThat(points1).extracting(MetricPoint::step).containsExactly(1L, 2L);
        // Read back as the provider reads the job's logs (TrainerLogs): loss and eval_loss become train_loss and valid_loss.
        assertThat(points1).allSatisfy(p -> assertThat(p.values()).containsKey("train_loss"));
        assertThat(points1.get(1).values()).as("the validation split is evaluated").containsKey("valid_loss");

        JsonNode config1 = adapterConfig(first);
        assertThat(config1.path("peft_type").asText()).isEqualTo("LORA");
        assertThat(config1.path("base_model_name_or_path").asText()).isEqualTo(model.toString());
        assertThat(config1.path("r").asInt()).isEqualTo(HuggingFaceOptions.DEFAULT_LORA_R);
        assertThat(config1.path("lora_alpha").asInt()).isEqualTo(HuggingFaceOptions.DEFAULT_LORA_ALPHA);
        System.out.println("adapter-1 target_modules: " + config1.path("target_modules"));
        Map<String, float[]> weights1 = SafeTensors.read(first.resolve("adapter_model.safetensors"));
        assertThat(weights1).isNotEmpty();
        double b1 = norm(loraB(weights1));
        assertThat(b1).as("LoRA B starts at zero; two steps must move it").isGreaterThan(0.0);

        // 2. The provider's continue path: the base model named is the adapter; its adapter_config.json names the base.
        Path second = work.resolve("adapter-2");
        Function<String, Optional<String>> adapterBase = m -> m.equals(first.toString())
                ? Optional.of(config1.path("base_model_name_or_path").asText()) : Optional.empty();
        JobSpecs.Plan plan2 = JobSpecs.plan(request(first.toString(), uploaded, second), "acme",
                JobSpecs.Defaults.builtIn(), adapterBase);
        assertThat(plan2.continues()).isTrue();
        assertThat(plan2.baseModel()).isEqualTo(model.toString());
        String log2 = run(JobSpecs.body(plan2, "hf_not_a_real_token"), work.resolve("run-2.log"));

        assertThat(log2).contains("finetune4j: continuing adapter " + first + "@main on " + model);
        assertThat(metrics(log2)).extracting(MetricPoint::step).containsExactly(1L, 2L);
        JsonNode config2 = adapterConfig(second);
        assertThat(config2.path("base_model_name_or_path").asText()).isEqualTo(model.toString());
        // PEFT keeps target_modules as a set: the order in adapter_config.json differs from run to run.
        assertThat(strings(config2.path("target_modules"))).isEqualTo(strings(config1.path("target_modules")));
        Map<String, float[]> weights2 = SafeTensors.read(second.resolve("adapter_model.safetensors"));
        assertThat(weights2.keySet()).isEqualTo(weights1.keySet());

        double moved = distance(weights1, weights2);
        double movedB = distance(loraB(weights1), loraB(weights2));
        System.out.printf("adapter-1 |B| = %.6g; adapter-2 moved %.6g from adapter-1 (B: %.6g)%n", b1, moved,
                movedB);
        assertThat(moved).as("training the adapter further changes it").isGreaterThan(0.0);
        // Continued at a tenth of the learning rate, B moves a little from adapter-1's; a fresh adapter would
        // have started from zero again, about |B1| away.
        assertThat(movedB).as("adapter-2 starts from adapter-1, not from a new adapter").isLessThan(0.5 * b1);
    }

    private static JobRequest request(String baseModel, UploadedData data, Path output) {
        String extra = ProviderJson.mapper().valueToTree(localArgs(output)).toString();
        return new JobRequest(TAG, "trl-check", baseModel, data, Hyperparameters.AUTO, null, true,
                Map.of(HuggingFaceOptions.EXTRA_ARGS, extra));
    }

    private static java.util.Set<String> strings(JsonNode array) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        assertThat(out).isNotEmpty();
        return out;
    }

    private static Function<String, Optional<String>> notAnAdapter() {
        return m -> Optional.empty();
    }

    /** Runs the body's command with its environment (and its secrets as environment, as Jobs does). */
    private String run(ObjectNode body, Path logFile) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        body.path("command").forEach(n -> command.add(n.asText()));
        assertThat(command.get(0)).isEqualTo("bash");
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> env = pb.environment();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("environment").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            env.put(e.getKey(), e.getValue().asText());
        }
        body.path("secrets").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put("PATH", python.getParent() + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        env.put("HF_HOME", work.resolve("hf-home").toString());
        env.put("HF_HUB_OFFLINE", "1");
        env.put("HF_DATASETS_OFFLINE", "1");
        env.put("TRANSFORMERS_OFFLINE", "1");
        long start = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        System.out.println("$ " + String.join(" ", command.subList(0, 2)) + " '<bootstrap>' "
                + String.join(" ", command.subList(3, command.size())));
        System.out.println(log);
        System.out.printf("%s: exit %s after %.1f s%n", logFile.getFileName(), done ? p.exitValue() : "timeout",
                (System.nanoTime() - start) / 1e9);
        assertThat(done).as("finished within " + RUN_LIMIT).isTrue();
        assertThat(p.exitValue()).as("exit status; the log is in " + logFile).isZero();
        return log;
    }

    private static List<MetricPoint> metrics(String log) {
        TrainerLogs.Collector collector = new TrainerLogs.Collector();
        log.lines().forEach(collector::accept);
        return collector.points();
    }

    private static JsonNode adapterConfig(Path adapter) throws IOException {
        assertThat(adapter.resolve("adapter_config.json")).isRegularFile();
        assertThat(adapter.resolve("adapter_model.safetensors")).isRegularFile();
        return ProviderJson.mapper().readTree(adapter.resolve("adapter_config.json").toFile());
    }

    /** The training format the provider uploads ({@code DatasetFormat.HF_MESSAGES}): one {@code {"messages":[...]}} a line. */
    private static Path writeDataset(Path dir) throws IOException {
        Files.createDirectories(dir);
        String[][] qa = {
            {"What does the premium plan cost?", "Ten euros a month."},
            {"Hello!", "Hello! How can I help you today?"},
            {"What is fine-tuning?", "Training a small adapter on top of a base model."},
            {"Name a fast animal.", "The quick brown fox."},
        };
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < TRAIN_EXAMPLES; i++) {
            train.append(line("You are a helpful assistant for the avatar shop.", qa[i % qa.length]));
        }
        StringBuilder validation = new StringBuilder();
        for (String[] pair : qa) {
            validation.append(line(null, pair));
        }
        Files.writeString(dir.resolve(DatasetUploader.TRAIN_PATH), train, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(DatasetUploader.VALIDATION_PATH), validation, StandardCharsets.UTF_8);
        return dir;
    }

    private static String line(String system, String[] pair) {
        ObjectNode row = ProviderJson.mapper().createObjectNode();
        var messages = row.putArray("messages");
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        messages.addObject().put("role", "user").put("content", pair[0]);
        messages.addObject().put("role", "assistant").put("content", pair[1]);
        return row + "\n";
    }

    private static Map<String, float[]> loraB(Map<String, float[]> weights) {
        Map<String, float[]> out = new TreeMap<>();
        weights.forEach((k, v) -> {
            if (k.contains("lora_B")) {
                out.put(k, v);
            }
        });
        assertThat(out).as("LoRA B matrices in " + weights.keySet()).isNotEmpty();
        return out;
    }

    private static double norm(Map<String, float[]> weights) {
        double sum = 0;
        for (float[] t : weights.values()) {
            for (float x : t) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }

    private static double distance(Map<String, float[]> a, Map<String, float[]> b) {
        double sum = 0;
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            assertThat(y).as(e.getKey()).hasSameSizeAs(x);
            for (int i = 0; i < x.length; i++) {
                double d = (double) x[i] - y[i];
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    /** Reads a {@code .safetensors} file: an 8-byte little-endian header length, a JSON header, the tensors. */
    static final class SafeTensors {

        static Map<String, float[]> read(Path file) throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = buf.getLong();
            assertThat(headerLength).isBetween(2L, (long) bytes.length - 8);
            JsonNode header = ProviderJson.mapper().readTree(new String(bytes, 8, (int) headerLength,
                    StandardCharsets.UTF_8));
            int base = 8 + (int) headerLength;
            Map<String, float[]> out = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                String dtype = e.getValue().path("dtype").asText();
                int from = base + e.getValue().path("data_offsets").get(0).asInt();
                int to = base + e.getValue().path("data_offsets").get(1).asInt();
                assertThat(to).isBetween(from, bytes.length);
                out.put(e.getKey(), switch (dtype) {
                    case "F32" -> {
                        float[] f = new float[(to - from) / 4];
                        ByteBuffer.wrap(bytes, from, to - from).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
                        yield f;
                    }
                    case "BF16" -> {
                        float[] f = new float[(to - from) / 2];
                        ByteBuffer b = ByteBuffer.wrap(bytes, from, to - from).order(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < f.length; i++) {
                            f[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                        }
                        yield f;
                    }
                    default -> throw new AssertionError(e.getKey() + ": unexpected dtype " + dtype);
                });
            }
            return out;
        }
    }
}
