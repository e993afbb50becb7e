package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.TimelineEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code finetune4j timeline ASSISTANT}: every selection change, oldest first. */
@Command(name = "timeline", mixinStandardHelpOptions = true,
        description = {
            "List every selection change, oldest first: the learning path.",
            "Revision, when, who, what, the selection after it, and why."
        })
final class TimelineCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            List<TimelineEntry> entries;
            try (Stream<TimelineEntry> timeline = a.timeline()) {
                entries = timeline.toList();
            }
            if (cli.json()) {
                cli.printJson(json(a.name(), entries));
            } else {
                print(cli.out(), a.name(), entries);
            }
            return ExitCodes.OK;
        }
    }

    /** {@code {"assistant", "entries": [{"at","actor","reason","action","version","before","after"}]}}. */
    static ObjectNode json(String assistant, List<TimelineEntry> entries) {
        ObjectNode doc = JsonDocs.object();
        doc.put("assistant", assistant);
        ArrayNode list = doc.putArray("entries");
        entries.forEach(e -> list.add(JsonDocs.timelineEntry(e)));
        return doc;
    }

    /** A table: revision, time, actor, action, what it names, the selection after, reason. */
    static void print(PrintWriter out, String assistant, List<TimelineEntry> entries) {
        out.println(assistant + ": " + Reports.count(entries.size(), "selection change") + ", oldest first");
        TextTable table = new TextTable(">rev", "at (UTC)", "actor", "action", "version", "selection after",
                "reason");
        for (TimelineEntry e : entries) {
            table.row(e.after().revision(), Assistants.time(e.at()), e.actor(), JsonDocs.lower(e.action()),
                    names(e), e.after().describe(), e.reason());
        }
        table.print(out, "  ");
    }

    /** What an entry's version number names: a model version, a prompt version, or a restored revision. */
    private static String names(TimelineEntry e) {
        if (e.version() == 0) {
            return "";
        }
        return switch (e.action()) {
            case ACTIVATE_PROMPT, DEACTIVATE_PROMPT -> "prompt v" + e.version();
            case ROLLBACK -> "to rev " + e.version();
            default -> "v" + e.version();
        };
    }
}
