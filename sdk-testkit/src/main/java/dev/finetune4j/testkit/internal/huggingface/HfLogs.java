package dev.finetune4j.testkit.internal.huggingface;

import static dev.finetune4j.testkit.internal.huggingface.HfErrors.badRequest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.LossCurve;
import dev.finetune4j.testkit.internal.Reply;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job's trainer prints: {@code ===== Job started ... =====}, the loading lines, the trainer's
 * log dicts ({@code {'loss': ..., 'grad_norm': ..., 'learning_rate': ..., 'mean_token_accuracy':
 * ..., 'epoch': ...}}) on the run's {@link LossCurve}, an eval dict per epoch with a validation
 * file, the {@code train_runtime} summary and the push; a running job shows the first half of its
 * steps, a failed one a traceback. Stateless.
 */
final class HfLogs {

    private HfLogs() {}

    /** {@code GET .../logs[?tail=N]}: the lines as server-sent events, with keep-alive comments. */
    static Reply reply(HfJob job, HttpCall call) {
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
    static List<String> logLines(HfJob job) {
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
        int examples = job.training.size();
        LossCurve curve = job.curve;
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
        if (job.stage.equals("ERROR") && job.scripted != null) {
            upTo = total / 2;
        }
        double lossSum = 0;
        int lossCount = 0;
        for (int step = 1; step <= upTo; step++) {
            boolean epochEnd = step % perEpoch == 0;
            if (step % every == 0 || step == total || (epochEnd && every > perEpoch)) {
                double loss = curve.trainLoss(step, total);
                lossSum += loss;
                lossCount++;
                out.add("{'loss': " + py(loss) + ", 'grad_norm': " + py(0.4 + 1.1 * (1 - (double) step / total))
                        + ", 'learning_rate': " + py(lr * (1 - (double) (step - 1) / total)) + ", 'mean_token_accuracy': "
                        + py(curve.accuracy(step, total)) + ", 'epoch': " + py((double) step / perEpoch) + "}");
            }
            if (eval && epochEnd) {
                out.add("{'eval_loss': " + py(curve.validLoss(step, total)) + ", 'eval_runtime': 0.42, "
                        + "'eval_mean_token_accuracy': " + py(curve.validAccuracy(step, total)) + ", 'epoch': "
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

    /** A float as Python prints a rounded one: {@code 1.2345}, {@code 2.0}, {@code 0.0002}. */
    private static String py(double v) {
        String s = new BigDecimal(v).round(new MathContext(5)).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }
}
