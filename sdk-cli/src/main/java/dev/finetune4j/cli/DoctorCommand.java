package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.lifecycle.Lifecycle;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.lifecycle.ModelLifecycle;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code finetune4j doctor}: every assistant whose live model (active version, else base model) or
 * canary candidate has an end of life, with the events, their sources, and the migration command to
 * run. With {@code --json}: {@code {"today", "affected", "assistants": [{"name", "affected", "models":
 * [{"role", "model_version", "provider", "provider_model_id", "lifecycle"}], "migrate_command"}]}}.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {
            "List every assistant whose live model is being shut down or deprecated, with the command to migrate it.",
            "Reads the lifecycle table (the providers' published dates, each with its source and the date it was "
                + "checked, plus --lifecycle FILE / $FINETUNE4J_LIFECYCLE) and what providers reported when last asked "
                + "(--refresh asks them now, e.g. OpenAI's shutdown_date). Exit 0 either way."
        })
final class DoctorCommand extends BaseCommand {

    @Option(names = "--refresh", description = "Ask each version's provider for its model's end-of-life facts first "
            + "(needs the providers' keys) and record them on the versions.")
    boolean refresh;

    /** One model an assistant serves, and its lifecycle. */
    record Served(String role, int version, ModelLifecycle lifecycle) {}

    /** One assistant's findings. */
    record Finding(String assistant, List<Served> models, String migrateCommand) {
        boolean affected() {
            return models.stream().anyMatch(m -> m.lifecycle().affected());
        }
    }

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            FineTuning ft = s.ft();
            Lifecycle lifecycle = ft.lifecycle();
            List<Finding> findings = new ArrayList<>();
            for (String name : ft.assistants()) {
                if (refresh) {
                    lifecycle.refresh(name);
                }
                findings.add(examine(ft.assistant(name), lifecycle));
            }
            if (cli.json()) {
                cli.printJson(json(lifecycle, findings));
            } else {
                print(cli.out(), lifecycle, findings);
            }
            return ExitCodes.OK;
        }
    }

    private static Finding examine(Assistant a, Lifecycle lifecycle) {
        Selection sel = a.selection();
        List<Served> models = new ArrayList<>();
        if (sel.activeModelVersion().isPresent()) {
            int n = sel.activeModelVersion().getAsInt();
            a.modelVersion(n).ifPresent(v -> models.add(new Served("active", n, lifecycle.of(v))));
        } else {
            models.add(new Served("base", 0, lifecycle.ofModel(sel.provider(), sel.baseModel(), sel.baseModel())));
        }
        if (sel.candidateModelVersion().isPresent()) {
            int n = sel.candidateModelVersion().getAsInt();
            a.modelVersion(n).ifPresent(v -> models.add(new Served("candidate", n, lifecycle.of(v))));
        }
        String from = models.get(0).lifecycle().provider();
        return new Finding(a.name(), models, LifecycleDocs.migrateCommand(a.name(), from, lifecycle));
    }

    private static ObjectNode json(Lifecycle lifecycle, List<Finding> findings) {
        ObjectNode doc = JsonDocs.object();
        doc.put("today", lifecycle.today().toString());
        doc.put("affected", findings.stream().filter(Finding::affected).count());
        ArrayNode list = doc.putArray("assistants");
        for (Finding f : findings) {
            ObjectNode o = list.addObject();
            o.put("name", f.assistant());
            o.put("affected", f.affected());
            ArrayNode models = o.putArray("models");
            for (Served m : f.models()) {
                ObjectNode n = models.addObject();
                n.put("role", m.role());
                if (m.version() == 0) {
                    n.putNull("model_version");
                } else {
                    n.put("model_version", m.version());
                }
                n.put("provider", m.lifecycle().provider());
                n.put("provider_model_id", m.lifecycle().modelId());
                n.set("lifecycle", LifecycleDocs.json(m.lifecycle()));
            }
            o.put("migrate_command", f.affected() ? f.migrateCommand() : null);
        }
        return doc;
    }

    private static void print(PrintWriter out, Lifecycle lifecycle, List<Finding> findings) {
        long affected = findings.stream().filter(Finding::affected).count();
        out.println(Reports.count(findings.size(), "assistant") + ", " + affected + " affected (today is "
                + lifecycle.today() + "; warnings start " + lifecycle.warningDays() + " days before a shutdown)");
        for (Finding f : findings) {
            if (!f.affected()) {
                continue;
            }
            out.println();
            for (Served m : f.models()) {
                ModelLifecycle l = m.lifecycle();
                String which = m.version() == 0 ? "base model" : m.role() + " v" + m.version();
                out.println(f.assistant() + ": " + which + " (" + l.provider() + " " + l.modelId() + ") "
                        + (l.affected() ? l.summary() : "no end of life known"));
                for (LifecycleEvent e : l.events()) {
                    out.println("    " + LifecycleDocs.line(e));
                }
            }
            out.println("  migrate: " + f.migrateCommand());
        }
        if (affected == 0) {
            out.println("no live model has a known end of life");
        }
    }
}
