package dev.finetune4j.testkit.internal.together;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.Jsons;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The archive {@code GET /finetune/download} answers: a gzip-compressed tar (what Together's clients
 * save as {@code .tar.gz} for an {@code application/x-tar} answer) of stand-in weights, the same
 * bytes for the same job, kind and step. Nothing was trained: the "weights" are seeded noise beside
 * a config that names the base model and the LoRA settings. Stateless.
 */
final class WeightsArchive {

    private static final int BLOCK = 512;

    private WeightsArchive() {}

    /** The archive of {@code job}'s {@code checkpoint} ({@code merged}, {@code adapter}, {@code model_output_path}). */
    static byte[] of(TogetherJob job, String checkpoint, int step) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        ObjectNode config = Jsons.object();
        long seed = (job.id + "/" + checkpoint + "/" + step).hashCode();
        if (checkpoint.equals("adapter")) {
            config.put("peft_type", "LORA").put("base_model_name_or_path", job.model)
                    .put("r", job.trainingType.path("lora_r").asInt())
                    .put("lora_alpha", job.trainingType.path("lora_alpha").asInt())
                    .put("lora_dropout", job.trainingType.path("lora_dropout").asDouble())
                    .put("target_modules", job.trainingType.path("lora_trainable_modules").asText());
            entries.put("adapter_config.json", Jsons.write(config).getBytes(StandardCharsets.UTF_8));
            entries.put("adapter_model.safetensors", noise(seed, 48 * 1024));
        } else {
            config.put("_name_or_path", job.outputName).put("base_model", job.model).put("finetuned_by", job.id);
            entries.put("config.json", Jsons.write(config).getBytes(StandardCharsets.UTF_8));
            entries.put("model.safetensors", noise(seed, 160 * 1024));
        }
        entries.put("README.md", ("Stand-in weights written by the finetune4j Together emulator for job " + job.id
                + (step >= 0 ? " at step " + step : "") + " (" + checkpoint + "); not a model.\n")
                .getBytes(StandardCharsets.UTF_8));
        return targz(entries, job.createdAt.getEpochSecond());
    }

    private static byte[] noise(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] targz(Map<String, byte[]> entries, long mtime) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                gz.write(header(e.getKey(), e.getValue().length, mtime));
                gz.write(e.getValue());
                gz.write(new byte[(BLOCK - e.getValue().length % BLOCK) % BLOCK]);
            }
            gz.write(new byte[2 * BLOCK]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A ustar header for a regular file. */
    private static byte[] header(String name, long size, long mtime) {
        byte[] h = new byte[BLOCK];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", mtime));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 265, "emulator");
        put(h, 297, "emulator");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
