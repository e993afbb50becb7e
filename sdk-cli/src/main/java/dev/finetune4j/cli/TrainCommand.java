package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.JobMayExistException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.ReuseReason;
import dev.finetune4j.spi.Capability;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j train ASSISTANT --dataset D[@V]}: estimate, submit and optionally wait for a
 * fine-tune job; a job for the same data and settings is reused unless {@code --again}. With
 * {@code --json}: {@code {"job": {...}, "estimate": {...}, "reused_existing_job": bool,
 * "reuse_reason": "unfinished"|"preview_started"|"preview_waiting"|"already_trained"|null}}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
            "Train a dataset version of an assistant: a fine-tune job on its provider (or --provider).",
            "Prints the local estimate (examples, tokens, epochs, billed tokens, cost), then submits the job: "
                + "it is recorded before any remote call, the data is uploaded once per dataset version, and "
                + "the remote job is tagged with the job id so that it is never created twice. --wait polls "
                + "until it ends and prints the model version it registered (ready, not active).",
            "--estimate submits nothing, except on a provider with a cost preview (Mistral): there the job is "
                + "created without starting, and its own price is shown; start it with `finetune4j job start ID`, "
                + "or run the same train without --estimate. On a provider that prices uploaded data (Together) "
                + "--estimate uploads the data (free; the train that follows reuses it) and shows the provider's "
                + "own price; nothing is trained.",
            "A job for the same data and settings (dataset version, provider, base model, epochs, validation) is "
                + "never paid for twice: when one is unfinished, train carries it on (looking it up at the provider "
                + "by its tag when its create may have been lost) or starts it after its cost preview; when one "
                + "already trained a model version that is not deleted, train says so and sends nothing. "
                + "--again trains a new job anyway.",
            "Exit codes after --wait: 0 succeeded; 1 cancelled, or failed because of its data; 3 failed at the "
                + "provider, or still running after --timeout (it goes on; follow it with `finetune4j job show ID`)."
        })
final class TrainCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Option(names = "--dataset", paramLabel = "DATASET[@VERSION]",
            description = "The dataset version to train on: DATASET of the assistant (or ASSISTANT/DATASET), "
                    + "optionally @VERSION (default: the latest version of the assistant's only dataset).")
    String dataset;

    @Option(names = "--provider", paramLabel = "PROVIDER", converter = Converters.Provider.class,
            completionCandidates = Converters.ProviderIds.class,
            description = "Train on another provider than the assistant's: ${COMPLETION-CANDIDATES} (needs --model).")
    String provider;

    @Option(names = "--model", paramLabel = "BASE_MODEL",
            description = "The base model (default: the assistant's).")
    String model;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs, 1 to 50 (default: the provider's auto).")
    Integer epochs;

    @Option(names = "--continue-from", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "Continue training this model version (where the provider can; otherwise the base model "
                    + "is retrained on the whole dataset version, and the estimate says so).")
    Integer continueFrom;

    @Option(names = "--option", paramLabel = "NAME=VALUE",
            description = "A provider-specific option of the job, repeatable: Together training_type=full, lora_r=16 "
                    + "…; Hugging Face flavor=a10g-small …; see the provider's docs. The provider refuses a name it "
                    + "does not know before anything is sent.")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--no-validation", description = "Do not send the validation split (it stays held out).")
    boolean noValidation;

    @Option(names = "--estimate",
            description = "Only estimate: nothing is sent, except on a provider with a cost preview (Mistral), "
                    + "where the job is created without starting to show the provider's own price, and on one "
                    + "that prices uploaded data (Together), where the data is uploaded to ask its price.")
    boolean estimateOnly;

    @Option(names = "--wait", description = "Wait until the job ends; show progress on a terminal.")
    boolean await;

    @Option(names = "--again",
            description = "Train a new job even when a job for the same data and settings is unfinished or already "
                    + "trained a model version (without it, train returns that job instead).")
    boolean again;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2h",
            converter = Converters.DurationConverter.class,
            description = "How long --wait (or the cost preview of --estimate) waits: 90s, 30m, 2h ... "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        if (model != null && continueFrom != null) {
            throw usage("give either --model or --continue-from: a continued job starts from the version's model");
        }
        if (model != null && model.isBlank()) {
            throw usage("--model must not be blank");
        }
        if (epochs != null && (epochs < 1 || epochs > 50)) {
            throw usage("--epochs must be 1 to 50, was " + epochs);
        }
        if (estimateOnly && await) {
            throw usage("--estimate starts no training; drop --wait (or --estimate)");
        }
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            Selection live = a.selection();
            String providerId = provider != null ? provider : live.provider();
            if (!s.providers().has(providerId)) {
                throw usage("--provider " + providerId + ": this build has no " + providerId + " provider module "
                        + "(it has " + String.join(", ", s.providers().ids()) + ")");
            }
            if (provider != null && !provider.equals(live.provider()) && model == null && continueFrom == null) {
                throw usage("--provider " + provider + ": " + a.name() + "'s base model " + live.baseModel()
                        + " belongs to " + live.provider() + "; name a " + provider + " base model with --model"
                        + Providers.baseModel(provider).map(m -> ", e.g. " + m).orElse(""));
            }
            s.providers().primary(providerId);
            DatasetVersion dv = DatasetCommand.resolve(s, a.name(), dataset, "train", true, spec);
            FineTuneSpec.Builder b = FineTuneSpec.builder(a.name(), dv.dataset())
                    .datasetVersion(dv.id())
                    .validation(!noValidation)
                    .again(again);
            if (provider != null) {
                b.provider(provider);
            }
            if (model != null) {
                b.baseModel(model);
            }
            if (continueFrom != null) {
                b.continueFrom(continueFrom);
            }
            if (epochs != null) {
                b.hyperparameters(Hyperparameters.builder().epochs(epochs).build());
            }
            options.forEach(b::option);
            FineTuneSpec fts = b.build();
            boolean quotes = estimateOnly
                    && s.ft().provider(providerId).descriptor().capabilities().has(Capability.PRICE_QUOTE);
            JobEstimate estimate = Assistants.attempt(() -> quotes ? s.ft().jobs().quote(fts) : s.ft().jobs().estimate(fts));
            ObjectNode estimateJson = Jobs.estimateJson(dv.datasetRef(), estimate);
            PrintWriter out = cli.json() ? new PrintWriter(java.io.Writer.nullWriter()) : cli.out();
            out.println("estimate for " + dv.datasetRef() + "@" + dv.number() + " on " + estimate.provider() + " "
                    + estimate.model() + ":");
            Jobs.printEstimate(out, estimate, "  ");
            boolean preview = s.ft().provider(providerId).descriptor().capabilities().has(Capability.COST_PREVIEW);
            if (quotes) {
                out.println(estimate.quote().isPresent() ? "uploaded the data to " + providerId + " to ask its price "
                        + "(uploads are free; train reuses them); nothing was trained. Run without --estimate to train"
                        : "nothing was trained; run without --estimate to train");
                return finish(cli, doc(null, estimateJson), ExitCodes.OK);
            }
            if (estimateOnly && !preview) {
                out.println("nothing was sent to " + providerId + "; run without --estimate to train");
                return finish(cli, doc(null, estimateJson), ExitCodes.OK);
            }
            JobWaiter waiter = new JobWaiter(new Terminal(cli.out(), cli.err(), cli.progress() && !cli.json()),
                    s.providers().isLocal(providerId));
            if (estimateOnly) {
                FineTuneJob job = submit(s, fts.toBuilder().start(false).build());
                out.println(job.reused().isEmpty() ? "created job " + job.id() + " at " + providerId + " without "
                        + "starting it, for " + providerId + "'s own price: " + Jobs.status(job) : reuse(job));
                if (job.reused().equals(Optional.of(ReuseReason.ALREADY_TRAINED))) {
                    return finish(cli, doc(job, estimateJson), ExitCodes.OK);
                }
                job = waiter.until(job, timeout, job.id(), j -> j.costPreview().isPresent() || j.status().isTerminal());
                if (job.costPreview().isPresent()) {
                    out.println("cost preview: " + job.costPreview().get() + " (" + providerId + "'s own price; the "
                            + "local estimate above is " + estimate.cost().map(c -> c.cost().toString())
                            .orElse("unknown") + ")");
                    if (job.reused().isEmpty() || job.reused().get() == ReuseReason.PREVIEW_WAITING) {
                        out.println("start it with `finetune4j job start " + job.id() + "` (or this train without "
                                + "--estimate), or drop it with `finetune4j job cancel " + job.id() + "`");
                    }
                    return finish(cli, doc(job, estimateJson), ExitCodes.OK);
                }
                out.flush();
                cli.err().println("finetune4j: job " + job.id() + " has no cost preview yet ("
                        + Jobs.describe(job) + "); look again with `finetune4j job show " + job.id() + "`");
                return finish(cli, doc(job, estimateJson), job.status().isTerminal() ? Jobs.exitCode(job)
                        : ExitCodes.PROVIDER);
            }
            FineTuneJob job = submit(s, fts);
            out.println(job.reused().isEmpty() ? "submitted job " + job.id() + " to " + job.provider()
                    + job.remoteId().map(r -> " as " + r).orElse("") + ": " + Jobs.status(job) : reuse(job));
            if (job.reused().isEmpty() && job.estimate() != null && job.estimate().quote().isPresent()) {
                out.println("  " + job.provider() + " quoted " + job.estimate().quote().get().price()
                        + " for it before it was created" + (job.estimate().quote().get().allowedToProceed() ? ""
                                : "; it says the account cannot pay for it (see the warning in `finetune4j job show "
                                        + job.id() + "`)"));
                estimateJson = Jobs.estimateJson(dv.datasetRef(), job.estimate());
            }
            ReuseReason reused = job.reused().orElse(null);
            if (reused == ReuseReason.ALREADY_TRAINED) {
                out.println(job.modelVersion().isPresent() ? "activate its model with `finetune4j activate " + a.name()
                        + " " + job.modelVersion().getAsInt() + "`; --again trains a new job"
                        : "`finetune4j job show " + job.id() + "` registers its model version; --again trains a new job");
                return finish(cli, doc(job, estimateJson), ExitCodes.OK);
            }
            if (reused == ReuseReason.PREVIEW_WAITING && !await) {
                out.println("start it with `finetune4j job start " + job.id() + "` once `finetune4j job show "
                        + job.id() + "` shows its cost preview, or run this train with --wait");
                return finish(cli, doc(job, estimateJson), ExitCodes.OK);
            }
            if (!await) {
                out.println("follow it with `finetune4j job show " + job.id() + "`, or wait with --wait next time");
                return finish(cli, doc(job, estimateJson), ExitCodes.OK);
            }
            long start = System.nanoTime();
            if (reused == ReuseReason.PREVIEW_WAITING) {
                job = waiter.until(job, timeout, job.id(), j -> j.costPreview().isPresent() || j.status().isTerminal());
                if (job.costPreview().isPresent() && !job.status().isTerminal()) {
                    job.start();
                    out.println("started job " + job.id() + " after its cost preview of " + job.costPreview().get()
                            + ": " + Jobs.status(job));
                }
            }
            job = waiter.untilSettled(job, timeout, job.id());
            int code = report(cli, out, a.name(), job, System.nanoTime() - start);
            return finish(cli, doc(job, estimateJson), code);
        }
    }

    /**
     * Submits, saying in the CLI's words what to do when the job may exist at the provider: the
     * library's advice names its API, a user needs the command.
     */
    private static FineTuneJob submit(FinetuneCli.Session s, FineTuneSpec spec) {
        try {
            return s.ft().jobs().submit(spec);
        } catch (JobMayExistException e) {
            throw new CommandFailure(ExitCodes.PROVIDER, "job_may_exist", Jobs.mayExist(e,
                    "`finetune4j jobs resume` (or this train again)"));
        }
    }

    /** The line that says which existing job a submission returned, and why nothing new was created. */
    static String reuse(FineTuneJob job) {
        String same = "job " + job.id() + " for the same data and settings";
        String at = job.provider() + job.remoteId().map(r -> " as " + r).orElse(" (not created there yet)");
        return switch (job.reused().orElseThrow()) {
            case UNFINISHED -> same + " is already " + Jobs.status(job) + " at " + at
                    + "; not creating another (--again trains a new one)";
            case PREVIEW_STARTED -> same + " was created without starting it, for its cost preview of "
                    + job.costPreview().map(Object::toString).orElse("?") + "; started it at " + at + ": "
                    + Jobs.status(job);
            case PREVIEW_WAITING -> same + " was created without starting it, for its cost preview, and waits at " + at
                    + (job.costPreview().isPresent() ? "" : "; " + job.provider() + " has not priced it yet")
                    + "; not creating another";
            case ALREADY_TRAINED -> "already trained: " + same + (job.modelVersion().isPresent()
                    ? " registered model v" + job.modelVersion().getAsInt() : " succeeded")
                    + job.fineTunedModel().map(m -> " (" + m + ")").orElse("") + "; nothing was sent to "
                    + job.provider();
        };
    }

    /** {@code {"job", "estimate", "reused_existing_job", "reuse_reason"}}. */
    private static ObjectNode doc(FineTuneJob job, ObjectNode estimate) {
        ObjectNode doc = Jobs.doc(job, estimate);
        Optional<ReuseReason> reused = job == null ? Optional.empty() : job.reused();
        doc.put("reused_existing_job", reused.isPresent());
        doc.put("reuse_reason", reused.map(JsonDocs::lower).orElse(null));
        return doc;
    }

    /** After a wait: what came of the job, and its exit code. Problems go to stderr. */
    static int report(FinetuneCli cli, PrintWriter out, String assistant, FineTuneJob job, long elapsedNanos) {
        String after = String.format(java.util.Locale.ROOT, "%.1f s", elapsedNanos / 1e9);
        if (Jobs.settled(job) && job.modelVersion().isPresent()) {
            int v = job.modelVersion().getAsInt();
            out.println("job " + job.id() + " succeeded after " + after + ": " + job.fineTunedModel().orElse("?"));
            out.println("registered as model v" + v + " of " + assistant + " (ready, not active): activate it with "
                    + "`finetune4j activate " + assistant + " " + v + "`");
            return ExitCodes.OK;
        }
        out.flush();
        if (job.status().isTerminal()) {
            cli.err().println("finetune4j: job " + Jobs.describe(job));
        } else {
            cli.err().println("finetune4j: job " + job.id() + " is still " + Jobs.status(job) + " after " + after
                    + "; it goes on at " + job.provider() + ": follow it with `finetune4j job show " + job.id() + "`");
        }
        return Jobs.exitCode(job);
    }

    private static int finish(FinetuneCli cli, ObjectNode doc, int code) {
        if (cli.json()) {
            cli.printJson(doc);
        }
        return code;
    }
}
