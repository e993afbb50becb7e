package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobEstimate;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j train ASSISTANT --dataset D[@V]}: estimate, submit and optionally wait for a
 * fine-tune job. With {@code --json}: {@code {"job": {...}, "estimate": {...}}}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
            "Train a dataset version of an assistant: a fine-tune job on its provider (or --provider).",
            "Prints the local estimate (examples, tokens, epochs, billed tokens, cost), then submits the job: "
                + "it is recorded before any remote call, the data is uploaded once per dataset version, and "
                + "the remote job is tagged with the job id so that it is never created twice. --wait polls "
                + "until it ends and prints the model version it registered (ready, not active).",
            "--estimate submits nothing, except on a provider with a cost preview (Mistral): there the job is "
                + "created without starting, and its own price is shown; start it with `finetune4j job start ID`.",
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
            description = "Train on another provider than the assistant's: openai, mistral or huggingface "
                    + "(needs --model).")
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

    @Option(names = "--no-validation", description = "Do not send the validation split (it stays held out).")
    boolean noValidation;

    @Option(names = "--estimate",
            description = "Only estimate: nothing is sent, except on a provider with a cost preview (Mistral), "
                    + "where the job is created without starting to show the provider's own price.")
    boolean estimateOnly;

    @Option(names = "--wait", description = "Wait until the job ends; show progress on a terminal.")
    boolean await;

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
                        + ("mistral".equals(provider) ? ", e.g. " + Providers.DEFAULT_MISTRAL_MODEL : ""));
            }
            s.providers().primary(providerId);
            DatasetVersion dv = DatasetCommand.resolve(s, a.name(), dataset, "train", true, spec);
            FineTuneSpec.Builder b = FineTuneSpec.builder(a.name(), dv.dataset())
                    .datasetVersion(dv.id())
                    .validation(!noValidation);
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
            FineTuneSpec fts = b.build();
            JobEstimate estimate = Assistants.attempt(() -> s.ft().jobs().estimate(fts));
            ObjectNode estimateJson = Jobs.estimateJson(dv.datasetRef(), estimate);
            PrintWriter out = cli.json() ? new PrintWriter(java.io.Writer.nullWriter()) : cli.out();
            out.println("estimate for " + dv.datasetRef() + "@" + dv.number() + " on " + estimate.provider() + " "
                    + estimate.model() + ":");
            Jobs.printEstimate(out, estimate, "  ");
            boolean preview = s.ft().provider(providerId).capabilities().costPreview();
            if (estimateOnly && !preview) {
                out.println("nothing was sent to " + providerId + "; run without --estimate to train");
                return finish(cli, Jobs.doc(null, estimateJson), ExitCodes.OK);
            }
            JobWaiter waiter = new JobWaiter(new Terminal(cli.out(), cli.err(), cli.progress() && !cli.json()),
                    s.providers().isLocal(providerId));
            if (estimateOnly) {
                FineTuneJob job = s.ft().jobs().submit(fts.toBuilder().start(false).build());
                out.println("created job " + job.id() + " at " + providerId + " without starting it, for "
                        + providerId + "'s own price: " + Jobs.status(job));
                job = waiter.until(job, timeout, job.id(), j -> j.costPreview().isPresent() || j.status().isTerminal());
                if (job.costPreview().isPresent()) {
                    out.println("cost preview: " + job.costPreview().get() + " (" + providerId + "'s own price; the "
                            + "local estimate above is " + estimate.cost().map(c -> c.cost().toString())
                            .orElse("unknown") + ")");
                    out.println("start it with `finetune4j job start " + job.id() + "`, or drop it with "
                            + "`finetune4j job cancel " + job.id() + "`");
                    return finish(cli, Jobs.doc(job, estimateJson), ExitCodes.OK);
                }
                out.flush();
                cli.err().println("finetune4j: job " + job.id() + " has no cost preview yet ("
                        + Jobs.describe(job) + "); look again with `finetune4j job show " + job.id() + "`");
                return finish(cli, Jobs.doc(job, estimateJson), job.status().isTerminal() ? Jobs.exitCode(job)
                        : ExitCodes.PROVIDER);
            }
            FineTuneJob job = s.ft().jobs().submit(fts);
            out.println("submitted job " + job.id() + " to " + job.provider()
                    + job.remoteId().map(r -> " as " + r).orElse("") + ": " + Jobs.status(job));
            if (!await) {
                out.println("follow it with `finetune4j job show " + job.id() + "`, or wait with --wait next time");
                return finish(cli, Jobs.doc(job, estimateJson), ExitCodes.OK);
            }
            long start = System.nanoTime();
            job = waiter.untilSettled(job, timeout, job.id());
            int code = report(cli, out, a.name(), job, System.nanoTime() - start);
            return finish(cli, Jobs.doc(job, estimateJson), code);
        }
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
