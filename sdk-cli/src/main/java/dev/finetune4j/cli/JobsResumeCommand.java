package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.JobMayExistException;
import dev.finetune4j.job.FineTuneJob;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code finetune4j jobs resume}: reconciles every unfinished job with its provider, as a host app
 * does after a restart ({@code FineTuneJobs.resume()}), one job at a time so that one broken job
 * does not hide the others. With {@code --json}: {@code {"jobs": [...], "errors": [{"id", "type",
 * "message"}]}}.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {
            "Reconcile every unfinished job with its provider, as after a restart.",
            "A job recorded but not created remotely is first looked for by its tag and created only when it is "
                + "not there; a created job is refreshed, and registers its model version when it succeeded. "
                + "Each job is tried on its own: the others go on when one fails (exit code of the first failure)."
        })
final class JobsResumeCommand extends BaseCommand {

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            List<FineTuneJob> active = s.ft().jobs().active();
            ObjectNode doc = JsonDocs.object();
            ArrayNode jobs = doc.putArray("jobs");
            ArrayNode errors = doc.putArray("errors");
            PrintWriter out = cli.out();
            int code = ExitCodes.OK;
            if (!cli.json()) {
                out.println(active.isEmpty() ? "no unfinished job: nothing to resume"
                        : "resuming " + Reports.count(active.size(), "unfinished job"));
            }
            for (FineTuneJob job : active) {
                try {
                    job.refresh();
                    jobs.add(Jobs.json(job));
                    if (!cli.json()) {
                        out.println("  " + Jobs.describe(job));
                    }
                } catch (RuntimeException e) {
                    Failure f = e instanceof JobMayExistException m
                            ? new Failure(ExitCodes.PROVIDER, "job_may_exist", Jobs.mayExist(m,
                                    "running `finetune4j jobs resume` again later"))
                            : Failure.of(e);
                    code = code == ExitCodes.OK ? f.exitCode() : code;
                    errors.addObject().put("id", job.id()).put("type", f.type()).put("message", f.message());
                    jobs.add(Jobs.json(job));
                    out.flush();
                    cli.err().println("finetune4j: job " + job.id() + ": " + f.message());
                }
            }
            if (cli.json()) {
                cli.printJson(doc);
            }
            return code;
        }
    }
}
