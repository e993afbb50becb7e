package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelMetrics;
import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.JobStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The quickstart's training steps: train a dataset version through {@code jobs().submit}, or reuse
 * the model version an earlier run trained on it, so that a second run creates no job and no
 * version. Not thread-safe.
 */
final class QuickstartTraining {

    private final FinetuneCli.Session session;
    private final QuickstartBackend backend;
    private final JobWaiter waiter;
    private final Duration timeout;
    private final PrintWriter out;

    QuickstartTraining(FinetuneCli.Session session, QuickstartBackend backend, JobWaiter waiter, Duration timeout,
            PrintWriter out) {
        this.session = session;
        this.backend = backend;
        this.waiter = waiter;
        this.timeout = timeout;
        this.out = out;
    }

    /**
     * What a training step did.
     *
     * @param job the job that trained the version
     * @param version the model version
     * @param reused whether an earlier run's job was reused (nothing was submitted)
     * @param callable whether the model can be called here (false: it lived in an earlier run's emulator)
     */
    record Trained(FineTuneJob job, ModelVersion version, boolean reused, boolean callable) {

        ObjectNode json() {
            ObjectNode o = JsonDocs.object();
            o.put("model_version", version.number());
            o.put("reused", reused);
            o.put("callable", callable);
            o.set("job", Jobs.json(job));
            o.set("estimate", Jobs.estimateJson(Jobs.datasetRef(job), job.estimate()));
            return o;
        }
    }

    /**
     * Trains {@code dv} from the assistant's base model, or reuses the model version a succeeded job
     * of the same kind (provider, base model, real or emulated) trained on it.
     *
     * @throws CommandFailure with {@link Jobs#exitCode} when the job does not succeed
     */
    Trained train(Assistant a, DatasetVersion dv) {
        String label = dv.datasetRef() + "@" + dv.number();
        String provider = a.selection().provider();
        String base = a.selection().baseModel();
        List<FineTuneJob> same = new ArrayList<>();
        for (FineTuneJob j : session.ft().jobs().list(a.name())) {
            if (j.datasetVersion().equals(label) && j.provider().equals(provider) && j.baseModel().equals(base)) {
                same.add(j);
            }
        }
        same.sort(Comparator.comparing(FineTuneJob::createdAt).reversed());
        for (FineTuneJob j : same) {
            if (j.status() == JobStatus.SUCCEEDED && j.modelVersion().isPresent()
                    && j.fineTunedModel().map(backend::sameKind).orElse(false)) {
                Optional<ModelVersion> v = a.modelVersion(j.modelVersion().getAsInt())
                        .filter(mv -> mv.state() == ModelState.READY);
                if (v.isPresent()) {
                    boolean callable = backend.has(v.get().providerModelId());
                    out.println("   reused job " + j.id() + " (succeeded, " + Assistants.time(j.updatedAt()) + "), which "
                            + "already trained " + label + ": model v" + v.get().number() + " "
                            + v.get().providerModelId() + "; nothing submitted");
                    return new Trained(j, v.get(), true, callable);
                }
            }
        }
        // A job an earlier run left unfinished: a real provider still has it, so wait for it; an
        // emulator that ran in an earlier process took it along when it stopped.
        for (FineTuneJob j : same) {
            if (!Jobs.settled(j) && !backend.emulated()) {
                out.println("   job " + j.id() + " from an earlier run is still " + Jobs.status(j) + "; waiting for it");
                return finish(a, j);
            }
            if (!Jobs.settled(j)) {
                out.println("   job " + j.id() + " from an earlier run never finished, and the emulator it ran on "
                        + "stopped with that run; submitting a new one");
            }
        }
        // The quickstart has decided above what to reuse: it also tells emulated from real models, which
        // the library's own reuse of a job with the same intent cannot, so it asks for a new job.
        FineTuneSpec spec = FineTuneSpec.builder(a.name(), dv.dataset()).datasetVersion(dv.id()).again(true).build();
        FineTuneJob job = session.ft().jobs().submit(spec);
        JobEstimate e = job.estimate();
        out.println("   submitted job " + job.id() + " to " + provider + job.remoteId().map(r -> " as " + r).orElse("")
                + ": " + e.trainingExamples() + " training examples, " + e.validationExamples() + " for validation, "
                + e.cost().map(c -> c.epochs() + " epochs, estimated " + c.cost()).orElse("no price known"));
        return finish(a, job);
    }

    private Trained finish(Assistant a, FineTuneJob submitted) {
        long start = System.nanoTime();
        FineTuneJob job = waiter.untilSettled(submitted, timeout, submitted.id());
        if (!Jobs.settled(job) || job.modelVersion().isEmpty()) {
            String why = job.status().isTerminal() ? Jobs.describe(job)
                    : job.id() + " is still " + Jobs.status(job) + " after " + Reports.duration(timeout) + "; it goes on: "
                            + "run the quickstart again later, or follow it with `finetune4j job show " + job.id() + "`";
            throw new CommandFailure(Jobs.exitCode(job), "training", "training did not produce a model: " + why);
        }
        ModelVersion v = a.modelVersion(job.modelVersion().getAsInt()).orElseThrow();
        out.println(String.format(Locale.ROOT, "   job %s succeeded after %.1f s: %s", job.id(),
                (System.nanoTime() - start) / 1e9, v.providerModelId()));
        out.println("   registered as model v" + v.number() + " (ready, not active)"
                + (v.metrics().values().isEmpty() ? "" : "; final metrics " + metrics(v)));
        return new Trained(job, v, false, true);
    }

    /** The final training loss, validation loss and validation token accuracy, as far as reported. */
    static String metrics(ModelVersion v) {
        List<String> parts = new ArrayList<>();
        for (String name : List.of(ModelMetrics.TRAIN_LOSS, ModelMetrics.VALIDATION_LOSS,
                ModelMetrics.VALIDATION_ACCURACY)) {
            v.metrics().get(name).ifPresent(x -> parts.add(name + " " + String.format(Locale.ROOT, "%.4f", x)));
        }
        return parts.isEmpty() ? "none reported" : String.join(", ", parts);
    }

    /**
     * The latest evaluation summary stored for {@code set} with exactly these target labels, as the
     * evaluator keeps it (one JSON object a summary), or empty.
     */
    static Optional<JsonNode> storedEvaluation(FinetuneCli.Session s, String assistant, String set, List<String> labels) {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode found = null;
        for (String line : s.ft().evaluator().history(assistant)) {
            try {
                JsonNode n = mapper.readTree(line);
                List<String> got = new ArrayList<>();
                n.path("targets").forEach(t -> got.add(t.path("label").asText()));
                if (set.equals(n.path("evaluation_set").asText()) && got.equals(labels)) {
                    found = n;
                }
            } catch (IOException e) {
                // a summary this CLI cannot read is skipped
            }
        }
        return Optional.ofNullable(found);
    }
}
