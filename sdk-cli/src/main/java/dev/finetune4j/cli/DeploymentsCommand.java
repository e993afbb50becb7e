package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.ServingCost;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j deployments [ASSISTANT]}: the deployments in the store with state, address,
 * price per hour and spend. With {@code --json}: {@code {"assistant", "deployments": [...],
 * "cost_per_hour": {...}}} ({@code cost_per_hour} with an assistant only).
 */
@Command(name = "deployments", mixinStandardHelpOptions = true,
        description = {
            "List deployments, oldest first, with state, address, price per hour, billed replica-hours and spend "
                + "so far; with ASSISTANT, also what serving it costs per hour now.",
            "Spend counts the time between the states the library observed (deploy, refresh, the job tracker): "
                + "--refresh asks the providers first. `deployments resume` reconciles interrupted deploys."
        },
        subcommands = DeploymentsResumeCommand.class)
final class DeploymentsCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ASSISTANT", description = "Only this assistant's.")
    String assistant;

    @Option(names = "--refresh", description = "Ask the providers for the state of every deployment not deleted first.")
    boolean refresh;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            String name = assistant == null ? null : Assistants.open(s, assistant, spec).name();
            List<Deployment> list = new ArrayList<>(name == null ? s.ft().deployments().list()
                    : s.ft().deployments().list(name));
            if (refresh) {
                for (Deployment d : list) {
                    if (!d.state().isTerminal()) {
                        d.refresh();
                    }
                }
            }
            ServingCost cost = name == null ? null : s.ft().deployments().costPerHour(name);
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.put("assistant", name);
                ArrayNode arr = doc.putArray("deployments");
                list.forEach(d -> arr.add(DeploymentDocs.json(d)));
                if (cost != null) {
                    doc.set("cost_per_hour", DeploymentDocs.json(cost));
                }
                cli.printJson(doc);
                return ExitCodes.OK;
            }
            PrintWriter out = cli.out();
            out.println(Reports.count(list.size(), "deployment") + (name == null ? "" : " of " + name)
                    + (list.isEmpty() ? "; deploy a model version with `finetune4j deploy ASSISTANT VERSION`"
                            : ", oldest first" + (refresh ? "" : " (as last recorded; --refresh asks the providers)")));
            if (!list.isEmpty()) {
                DeploymentDocs.print(out, list);
            }
            if (cost != null) {
                out.println("serving " + name + " costs " + cost.perHour() + " per hour now"
                        + (cost.unpriced().isEmpty() ? "" : " plus " + String.join(", ", cost.unpriced())
                                + " (no published price)"));
            }
            return ExitCodes.OK;
        }
    }
}
