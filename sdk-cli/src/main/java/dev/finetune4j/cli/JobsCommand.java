package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.job.FineTuneJob;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j jobs [ASSISTANT]}: the fine-tune jobs in the store, as last recorded (nothing is
 * sent to a provider). With {@code --json}: {@code {"assistant", "jobs": [...]}}.
 */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {
            "List fine-tune jobs as last recorded, oldest first: of one assistant, or of every assistant.",
            "Nothing is sent to a provider: `job show ID` refreshes one job, `jobs resume` every unfinished one."
        },
        subcommands = JobsResumeCommand.class)
final class JobsCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ASSISTANT", description = "Only this assistant's jobs.")
    String assistant;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            List<FineTuneJob> jobs = new ArrayList<>();
            if (assistant != null) {
                jobs.addAll(s.ft().jobs().list(Assistants.open(s, assistant, spec).name()));
            } else {
                for (String name : s.ft().assistants()) {
                    jobs.addAll(s.ft().jobs().list(name));
                }
                jobs.sort(Comparator.comparing(FineTuneJob::createdAt).thenComparing(FineTuneJob::id));
            }
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.put("assistant", assistant);
                ArrayNode list = doc.putArray("jobs");
                jobs.forEach(j -> list.add(Jobs.json(j)));
                cli.printJson(doc);
            } else {
                print(cli.out(), assistant, jobs);
            }
            return ExitCodes.OK;
        }
    }

    /** A table of jobs, oldest first. */
    static void print(PrintWriter out, String assistant, List<FineTuneJob> jobs) {
        out.println(Reports.count(jobs.size(), "job") + (assistant == null ? "" : " of " + assistant)
                + (jobs.isEmpty() ? "; train one with `finetune4j train ASSISTANT`" : ", oldest first (as last "
                        + "recorded; `finetune4j job show ID` refreshes one)"));
        if (jobs.isEmpty()) {
            return;
        }
        TextTable table = new TextTable("id", "assistant", "provider", "status", "dataset version", "model",
                "created (UTC)", "remote id");
        for (FineTuneJob j : jobs) {
            table.row(j.id(), j.assistant(), j.provider(), Jobs.status(j), j.datasetVersion(),
                    j.modelVersion().isPresent() ? "v" + j.modelVersion().getAsInt() : "-",
                    Assistants.time(j.createdAt()), j.remoteId().orElse("-"));
        }
        table.print(out, "  ");
        for (FineTuneJob j : jobs) {
            j.error().ifPresent(e -> out.println("  " + j.id() + ": " + e));
        }
    }
}
