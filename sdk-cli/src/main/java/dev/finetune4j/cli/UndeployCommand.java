package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.deployment.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j undeploy ID}: deletes a deployment. With {@code --json}: {@code {"deployment": {...}}}. */
@Command(name = "undeploy", mixinStandardHelpOptions = true,
        description = {
            "Delete a deployment at its provider (it stops billing) and record it deleted.",
            "Refused while its model version is active or the candidate and no other deployment serves it "
                + "(deactivate first, or --force: chat then falls back to the base model). Deactivate and rollback "
                + "never undeploy on their own.",
            "Exits 1 for an unknown deployment or when refused."
        })
final class UndeployCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The deployment, e.g. ftd-2k9x7q4m1c8z.")
    String id;

    @Option(names = "--force", description = "Undeploy even while its model version is active or the candidate.")
    boolean force;

    @Mixin
    ChangeOptions changeOptions;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        Change change = changeOptions.change(cli, spec);
        try (FinetuneCli.Session s = cli.open(spec)) {
            Deployment d = Assistants.attempt(() -> s.ft().deployments().undeploy(id, force, change));
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.set("deployment", DeploymentDocs.json(d));
                cli.printJson(doc);
            } else {
                cli.out().println("undeployed: " + DeploymentDocs.describe(d));
                d.spend().ifPresent(m -> cli.out().println("it cost " + m + " over "
                        + String.format(java.util.Locale.ROOT, "%.2f", DeploymentDocs.hours(d.billedTime()))
                        + " billed replica-hours"));
            }
            return ExitCodes.OK;
        }
    }
}
