package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.capture.Capture;
import dev.finetune4j.capture.CaptureQuery;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j captures ...}: review captured chat calls, curate them into a dataset, prune old ones. */
@Command(name = "captures", mixinStandardHelpOptions = true,
        description = "Captured chat calls: list them, show one, curate them into a new dataset version, prune old ones.",
        subcommands = {
            CapturesCommand.ListCommand.class,
            CapturesCommand.ShowCommand.class,
            CapturesCurateCommand.class,
            CapturesPruneCommand.class
        })
final class CapturesCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw usage("missing subcommand: list, show, curate or prune");
    }

    /** {@code captures list ASSISTANT [filters]}: one line per capture; {@code --json}: {"captures": [...]}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List an assistant's captured calls, oldest first, with what answered and their feedback.")
    static final class ListCommand extends BaseCommand {

        @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
        String assistant;

        @Mixin
        CaptureFilter filter = new CaptureFilter();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "Show at most N captures (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw usage("--limit must be at least 1, was " + limit);
            }
            FinetuneCli cli = cli();
            try (FinetuneCli.Session s = cli.open(spec)) {
                CaptureQuery query = query(this, s, assistant, filter);
                ObjectNode doc = JsonDocs.object();
                ArrayNode list = doc.putArray("captures");
                PrintWriter out = cli.out();
                TextTable table = new TextTable("call id", "at (UTC)", "version", ">tokens", "feedback", "user");
                int shown = 0;
                try (Stream<Capture> captures = s.ft().captures().find(query)) {
                    for (Iterator<Capture> it = captures.limit(limit).iterator(); it.hasNext(); shown++) {
                        Capture c = it.next();
                        if (cli.json()) {
                            list.add(CaptureDocs.capture(c));
                        } else {
                            table.row(c.callId(), Assistants.time(c.time()),
                                    c.servedBy().modelVersion() == 0 ? "base" : "v" + c.servedBy().modelVersion(),
                                    c.usage().inputTokens() + c.usage().outputTokens(),
                                    c.feedback().map(CaptureDocs::verdict).orElse(""), lastUser(c));
                        }
                    }
                }
                if (cli.json()) {
                    cli.printJson(doc);
                } else {
                    out.println(query.assistant() + ": " + Reports.count(shown, "capture")
                            + (shown == limit ? " (--limit " + limit + " reached)" : ""));
                    table.print(out, "  ");
                }
                return ExitCodes.OK;
            }
        }

        private static String lastUser(Capture c) {
            String text = c.messages().isEmpty() ? ""
                    : c.messages().get(c.messages().size() - 1).content().orElse("");
            return text.length() > 60 ? text.substring(0, 57) + "..." : text;
        }
    }

    /** {@code captures show CALL_ID}: one capture in full. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one captured call in full: the messages, the answer, what answered, the feedback.")
    static final class ShowCommand extends BaseCommand {

        @Parameters(index = "0", paramLabel = "CALL_ID", description = "The call id chat printed.")
        String callId;

        @Override
        public Integer call() {
            FinetuneCli cli = cli();
            try (FinetuneCli.Session s = cli.open(spec)) {
                Capture c;
                try {
                    c = s.ft().captures().find(callId).orElseThrow(() -> new InputException(
                            "no capture of call " + callId + " in tenant '" + s.ft().tenant().id() + "'"));
                } catch (IllegalArgumentException e) {
                    throw usage(e.getMessage());
                }
                if (cli.json()) {
                    cli.printJson(CaptureDocs.capture(c));
                } else {
                    CaptureDocs.print(cli.out(), c);
                }
                return ExitCodes.OK;
            }
        }
    }

    /** The query of a command's filter for an existing assistant; a bad combination is a usage error. */
    static CaptureQuery query(BaseCommand command, FinetuneCli.Session s, String assistant, CaptureFilter filter) {
        String name = Assistants.open(s, assistant, command.spec).name();
        try {
            return filter.query(name);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
    }
}
