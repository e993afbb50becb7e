package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.spi.Capability;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code finetune4j job show|cancel|start ID}: one fine-tune job. */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "One fine-tune job: show (refreshed from its provider), cancel, or start after a cost preview.",
        subcommands = {JobCommand.Show.class, JobCommand.Cancel.class, JobCommand.Start.class})
final class JobCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw usage("missing subcommand: show, cancel or start");
    }

    /** What the three subcommands share: open the job, act, print {@code {"job", "estimate"}}. */
    abstract static class OnJob extends BaseCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The job id, ftj-...")
        String id;

        /** Acts on the job through the library; returns it as it is afterwards. */
        abstract FineTuneJob act(FineTuneJob job, FinetuneCli.Session s);

        /**
         * The headline of the human output.
         *
         * @param before the status before the action, as {@link Jobs#status} words it
         * @param wasTerminal whether the job had ended before the action
         */
        abstract String headline(String before, boolean wasTerminal, FineTuneJob after);

        /** Whether the document says the job was refreshed (only {@code show} can fail to). */
        boolean refreshed = true;

        @Override
        public final Integer call() {
            FinetuneCli cli = cli();
            try (FinetuneCli.Session s = cli.open(spec)) {
                FineTuneJob job = s.ft().jobs().job(id);
                String before = Jobs.status(job);
                boolean wasTerminal = job.status().isTerminal();
                s.providers().primary(job.provider());
                FineTuneJob after = Assistants.attempt(() -> act(job, s));
                ObjectNode doc = Jobs.doc(after, Jobs.estimateJson(Jobs.datasetRef(after), after.estimate()));
                if (this instanceof Show) {
                    doc.put("refreshed", refreshed);
                }
                if (cli.json()) {
                    cli.printJson(doc);
                } else {
                    PrintWriter out = cli.out();
                    out.println(headline(before, wasTerminal, after));
                    details(out, s.ft(), after);
                }
                return ExitCodes.OK;
            }
        }

        /** The job's facts, one a line. */
        static void details(PrintWriter out, FineTuning ft, FineTuneJob j) {
            out.println("  assistant " + j.assistant() + ", " + j.provider() + " from " + j.baseModel() + ", on "
                    + j.datasetVersion());
            out.println("  remote id " + j.remoteId().orElse("- (not created at the provider yet)") + ", status "
                    + Jobs.status(j) + ", created " + Assistants.time(j.createdAt()) + ", updated "
                    + Assistants.time(j.updatedAt()));
            j.error().ifPresent(e -> out.println("  error: " + e));
            j.costPreview().ifPresent(c -> out.println("  cost preview: " + c + " (" + j.provider() + "'s own price)"));
            if (j.estimate() != null) {
                out.println("  estimated at submission:");
                Jobs.printEstimate(out, j.estimate(), "    ");
            }
            if (j.modelVersion().isPresent()) {
                int n = j.modelVersion().getAsInt();
                ModelVersion v = ft.assistant(j.assistant()).modelVersion(n).orElse(null);
                out.println("  model v" + n + ": " + j.fineTunedModel().orElse("?")
                        + (v == null ? "" : ", " + JsonDocs.lower(v.state())
                                + (v.metrics().values().isEmpty() ? "" : ", " + v.metrics().values())
                                + v.cost().map(c -> ", cost " + c).orElse("")));
            }
        }
    }

    /** {@code job show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {
                "Show a job, refreshed from its provider (a finished job is shown as recorded).",
                "When its provider cannot be configured (no key), the recorded state is shown with a warning."
            })
    static final class Show extends OnJob {
        @Override
        FineTuneJob act(FineTuneJob job, FinetuneCli.Session s) {
            if (Jobs.settled(job)) {
                return job;
            }
            try {
                return job.refresh();
            } catch (InputException e) {
                if (!"provider_config".equals(e.type())) {
                    throw e;
                }
                refreshed = false;
                cli().err().println("finetune4j: warning: not refreshed, showing the recorded state: "
                        + e.getMessage());
                return job;
            }
        }

        @Override
        String headline(String before, boolean wasTerminal, FineTuneJob after) {
            return "job " + Jobs.describe(after);
        }
    }

    /** {@code job cancel ID}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a job at its provider; a finished job is left as it is.")
    static final class Cancel extends OnJob {
        @Override
        FineTuneJob act(FineTuneJob job, FinetuneCli.Session s) {
            return job.status().isTerminal() ? job : job.cancel();
        }

        @Override
        String headline(String before, boolean wasTerminal, FineTuneJob after) {
            return wasTerminal
                    ? "job " + after.id() + " had already ended (" + before + "); nothing to cancel"
                    : "cancelled job " + after.id() + ": " + before + " -> " + Jobs.status(after);
        }
    }

    /** {@code job start ID}. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a job created without starting (train --estimate on a provider with a cost preview).")
    static final class Start extends OnJob {
        @Override
        FineTuneJob act(FineTuneJob job, FinetuneCli.Session s) {
            if (!s.ft().provider(job.provider()).descriptor().capabilities().has(Capability.COST_PREVIEW)) {
                throw new InputException("invalid_state", job.provider() + " starts jobs when they are created; job "
                        + job.id() + " needs no start");
            }
            if (job.status().isTerminal()) {
                throw new InputException("invalid_state", "job " + job.id() + " has ended (" + Jobs.status(job)
                        + "); there is nothing to start");
            }
            return job.start();
        }

        @Override
        String headline(String before, boolean wasTerminal, FineTuneJob after) {
            return "started job " + after.id() + ": " + before + " -> " + Jobs.status(after) + "; follow it with "
                    + "`finetune4j job show " + after.id() + "`";
        }
    }
}
