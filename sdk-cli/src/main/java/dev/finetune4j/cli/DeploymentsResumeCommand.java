package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.deployment.Deployment;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code finetune4j deployments resume}: reconciles every unfinished deployment, as a host app does
 * after a restart ({@code Deployments.resume()}), one at a time. With {@code --json}: {@code
 * {"deployments": [...], "errors": [{"id", "type", "message"}]}}.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {
            "Reconcile every deployment that is not failed or deleted with its provider, as after a restart.",
            "One recorded but not created is first looked for by its id (its name or tag at the provider) and "
                + "created only when it is not there; an interrupted undeploy is finished; the others are refreshed. "
                + "Each is tried on its own (exit code of the first failure)."
        })
final class DeploymentsResumeCommand extends BaseCommand {

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            List<Deployment> active = s.ft().deployments().active();
            ObjectNode doc = JsonDocs.object();
            ArrayNode list = doc.putArray("deployments");
            ArrayNode errors = doc.putArray("errors");
            PrintWriter out = cli.out();
            int code = ExitCodes.OK;
            if (!cli.json()) {
                out.println(active.isEmpty() ? "no unfinished deployment: nothing to resume"
                        : "resuming " + Reports.count(active.size(), "deployment"));
            }
            for (Deployment d : active) {
                try {
                    d.refresh();
                    list.add(DeploymentDocs.json(d));
                    if (!cli.json()) {
                        out.println("  " + DeploymentDocs.describe(d));
                    }
                } catch (RuntimeException e) {
                    Failure f = Failure.of(e);
                    code = code == ExitCodes.OK ? f.exitCode() : code;
                    errors.addObject().put("id", d.id()).put("type", f.type()).put("message", f.message());
                    list.add(DeploymentDocs.json(d));
                    out.flush();
                    cli.err().println("finetune4j: deployment " + d.id() + ": " + f.message());
                }
            }
            if (cli.json()) {
                cli.printJson(doc);
            }
            return code;
        }
    }
}
