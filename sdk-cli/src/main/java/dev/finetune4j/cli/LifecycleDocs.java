package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.lifecycle.Lifecycle;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.lifecycle.ModelLifecycle;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.Providers;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** How the CLI shows lifecycle answers: the {@code lifecycle} JSON field, the table column, the migrate command. */
final class LifecycleDocs {

    private LifecycleDocs() {}

    /**
     * {@code {"affected", "summary", "days_left", "shutdown_date", "jobs_end_date", "events": [{"kind",
     * "model", "date", "no_earlier_than", "scope", "source", "checked_on", "source_quality", "note"}]}};
     * absent values are null.
     */
    static ObjectNode json(ModelLifecycle l) {
        ObjectNode o = JsonDocs.object();
        o.put("affected", l.affected());
        o.put("summary", l.affected() ? l.summary() : null);
        if (l.daysLeft().isPresent()) {
            o.put("days_left", l.daysLeft().get());
        } else {
            o.putNull("days_left");
        }
        o.put("shutdown_date", l.shutdown().flatMap(LifecycleEvent::date).map(Object::toString).orElse(null));
        o.put("jobs_end_date", l.jobsEnd().flatMap(LifecycleEvent::date).map(Object::toString).orElse(null));
        ArrayNode events = o.putArray("events");
        for (LifecycleEvent e : l.events()) {
            ObjectNode n = events.addObject();
            n.put("kind", e.kind().jsonName());
            n.put("model", e.model());
            n.put("date", e.date().map(Object::toString).orElse(null));
            n.put("no_earlier_than", e.noEarlierThan());
            n.put("scope", e.scope().jsonName());
            n.put("source", e.source().toString());
            n.put("checked_on", e.checkedOn().toString());
            n.put("source_quality", e.sourceQuality().jsonName());
            n.put("note", e.note().orElse(null));
        }
        return o;
    }

    /** The table column: the summary, or {@code -} when no event applies. */
    static String column(ModelLifecycle l) {
        return l.affected() ? l.summary() : "-";
    }

    /** One event as a line: {@code jobs_end 2027-01-06 (secondary, checked 2026-12-04) https://...}. */
    static String line(LifecycleEvent e) {
        return e.kind().jsonName() + " " + e.date().map(d -> (e.noEarlierThan() ? "no earlier than " : "") + d)
                .orElse("(no date)") + " (" + e.sourceQuality().jsonName() + ", checked " + e.checkedOn() + ") "
                + e.source();
    }

    /**
     * The command that migrates an assistant away: to the first provider on the class path (by id)
     * that trains and that no lifecycle event concerns (its default base model, or any of its models
     * when it names no default); placeholders for what cannot be chosen.
     */
    static String migrateCommand(String assistant, String fromProvider, Lifecycle lifecycle) {
        Optional<ProviderDescriptor> target = migrationTargets(fromProvider, lifecycle).stream().findFirst();
        return "finetune4j migrate " + assistant + " --to " + target.map(ProviderDescriptor::id).orElse("PROVIDER")
                + " --model " + target.flatMap(ProviderDescriptor::defaultBaseModel).orElse("BASE");
    }

    /**
     * The providers to move to from {@code fromProvider}, by id: the others that train and have no
     * known end of life (for their default base model, or at all when they name none).
     */
    static List<ProviderDescriptor> migrationTargets(String fromProvider, Lifecycle lifecycle) {
        return Providers.descriptors().values().stream()
                .filter(d -> !d.id().equals(fromProvider))
                .filter(d -> d.capabilities().has(Capability.TRAINING))
                .filter(d -> d.defaultBaseModel()
                        .map(m -> !lifecycle.ofModel(d.id(), m, m).affected())
                        .orElseGet(() -> lifecycle.table().events().stream()
                                .noneMatch(e -> e.provider().equals(d.id()))))
                .sorted(Comparator.comparing(ProviderDescriptor::id))
                .toList();
    }
}
