package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j activate ASSISTANT VERSION}: make a ready model version the live one. */
@Command(name = "activate", mixinStandardHelpOptions = true,
        description = {
            "Make a ready model version the live one.",
            "One atomic switch; a candidate that is this version stops being one. Prints the selection after "
                + "the change.",
            "Where the provider serves trained models only once deployed (Hugging Face), the version needs a ready "
                + "deployment first: --deploy deploys it (or reuses one) and waits until it serves.",
            "Exits 1 for an unknown version, one that is not ready (training, failed, retired, deleted) or one "
                + "without the deployment its provider needs; 3 when --deploy's deployment failed or was not ready "
                + "in time."
        })
final class ActivateCommand extends SelectionChangeCommand {

    @Parameters(index = "1", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The model version: 2 or v2.")
    int version;

    @Option(names = "--deploy", description = "Deploy the version first (or reuse its deployment) and wait until "
            + "it serves; takes the deploy options.")
    boolean deploy;

    @Mixin
    DeploySpecOptions specOptions;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
            converter = Converters.DurationConverter.class,
            description = "How long --deploy waits for the deployment: 90s, 30m, 2h ... (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The deployment --deploy made or reused, and what it printed. */
    private Deployment deployment;
    private final StringWriter deployLog = new StringWriter();

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        if (deploy) {
            deployment = DeployCommand.deploy(session, a.name(), version, specOptions.spec(spec, false), change, true,
                    timeout, new PrintWriter(deployLog, true));
            if (deployment.state() != DeploymentState.READY) {
                throw new CommandFailure(ExitCodes.PROVIDER, "deployment_not_ready",
                        DeployCommand.notReady(deployment) + "; model v" + version + " was not activated");
            }
        }
        return a.activate(version, change);
    }

    @Override
    void putJson(ObjectNode doc) {
        if (deployment != null) {
            doc.set("deployment", DeploymentDocs.json(deployment));
        }
    }

    @Override
    void printMore(PrintWriter out) {
        out.print(deployLog);
    }

    @Override
    String done(Selection before, Selection after) {
        return "activated model v" + version + " of " + assistant;
    }

    @Override
    String unchanged(Selection after) {
        return "model v" + version + " is already active for " + assistant + "; nothing changed";
    }
}
