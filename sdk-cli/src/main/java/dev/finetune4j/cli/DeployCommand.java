package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentState;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j deploy ASSISTANT VERSION}: deploys a model version where its provider needs it
 * before it serves. With {@code --json}: {@code {"deployment": {...}}}.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {
            "Deploy a model version where its provider serves trained models only once deployed (Hugging Face: an "
                + "Inference Endpoint).",
            "The deployment is recorded before the provider is asked and named by its id there, so a deploy "
                + "interrupted at any point is found again (`finetune4j deployments resume`), never created twice. "
                + "A deployment of the same version and spec that is pending, ready, scaled to zero or paused is "
                + "returned instead of a new one (--again creates another). Deployments bill by the hour while "
                + "they run: `finetune4j deployments` shows what each costs; `finetune4j undeploy ID` ends one.",
            "Exits 1 for an unknown version, one that is not ready, or a spec the provider refuses; 3 when the "
                + "deployment failed or, with --wait, was not ready in time."
        })
final class DeployCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Parameters(index = "1", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The model version: 2 or v2.")
    int version;

    @Mixin
    DeploySpecOptions specOptions;

    @Mixin
    ChangeOptions changeOptions;

    @Option(names = "--wait", description = "Wait until it serves (or fails).")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
            converter = Converters.DurationConverter.class,
            description = "How long --wait waits: 90s, 30m, 2h ... (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--again", description = "Deploy anew even when a deployment of the same version and spec exists.")
    boolean again;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        Change change = changeOptions.change(cli, spec);
        var deploymentSpec = specOptions.spec(spec, again);
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            PrintWriter out = cli.json() ? new PrintWriter(java.io.Writer.nullWriter()) : cli.out();
            Deployment d = deploy(s, a.name(), version, deploymentSpec, change, await, timeout, out);
            int code = exitCode(d, await);
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.set("deployment", DeploymentDocs.json(d));
                cli.printJson(doc);
            }
            if (code != ExitCodes.OK) {
                out.flush();
                cli.err().println("finetune4j: " + notReady(d));
            } else if (d.state() == DeploymentState.READY) {
                out.println("activate it with `finetune4j activate " + a.name() + " " + version + "`");
            }
            return code;
        }
    }

    /** Deploys (and with {@code await} waits), printing one line per step to {@code out}; shared with {@code activate --deploy}. */
    static Deployment deploy(FinetuneCli.Session s, String assistant, int version,
            dev.finetune4j.deployment.DeploymentSpec spec, Change change, boolean await, Duration timeout,
            PrintWriter out) {
        Deployment d = Assistants.attempt(() -> s.ft().deployments().deploy(assistant, version, spec, change));
        out.println((d.reused() ? "deployment exists: " : "deployed: ") + DeploymentDocs.describe(d));
        if (await && d.state() != DeploymentState.READY && !d.state().isTerminal()) {
            out.flush();
            d = DeploymentDocs.await(d, timeout, s.providers().isLocal(d.provider()));
            out.println("now: " + DeploymentDocs.describe(d));
        }
        return d;
    }

    /** 0 unless it failed, or it was awaited and is not ready. */
    static int exitCode(Deployment d, boolean awaited) {
        if (d.state().isTerminal() || (awaited && d.state() != DeploymentState.READY)) {
            return ExitCodes.PROVIDER;
        }
        return ExitCodes.OK;
    }

    /** Why a deployment does not serve, and what to do. */
    static String notReady(Deployment d) {
        if (d.state().isTerminal()) {
            return "deployment " + d.id() + " is " + DeploymentDocs.state(d) + d.error().map(e -> ": " + e).orElse("")
                    + "; deploy again (with --again) once the cause is fixed";
        }
        return "deployment " + d.id() + " is not ready yet (" + DeploymentDocs.state(d) + "); follow it with "
                + "`finetune4j deployments " + d.assistant() + " --refresh`";
    }
}
