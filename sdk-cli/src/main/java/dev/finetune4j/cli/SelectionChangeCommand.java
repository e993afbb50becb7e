package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A command that changes an assistant's selection ({@code activate}, {@code rollback}, ...): one
 * compare-and-set through the library, then the selection it left. With {@code --json}:
 * {@code {"assistant", "selection": {...}, "changed"}}; {@code changed} is false when the selection
 * already was as asked and nothing was written.
 */
abstract class SelectionChangeCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Mixin
    ChangeOptions changeOptions;

    /** The open session while {@link #apply} runs (for a change that also calls a provider). */
    FinetuneCli.Session session;

    /** Checks option combinations before the store is opened; throws usage errors. */
    void checkUsage() {}

    /** Makes the change through the library and returns the selection after it. */
    abstract Selection apply(Assistant a, Selection before, Change change);

    /** One line saying what changed. */
    abstract String done(Selection before, Selection after);

    /** One line saying why nothing changed. */
    abstract String unchanged(Selection after);

    /** Adds fields to the JSON document after {@code changed}. */
    void putJson(ObjectNode doc) {}

    /** Adds lines to the human output. */
    void printMore(PrintWriter out) {}

    /**
     * The exit code once the change is made and printed (a part of the command that failed after
     * the change, say); {@link ExitCodes#OK} by default. A non-zero code comes with its own message
     * on stderr.
     */
    int finish(FinetuneCli cli) {
        return ExitCodes.OK;
    }

    @Override
    public final Integer call() {
        checkUsage();
        FinetuneCli cli = cli();
        Change change = changeOptions.change(cli, spec);
        try (FinetuneCli.Session s = cli.open(spec)) {
            session = s;
            Assistant a = Assistants.open(s, assistant, spec);
            Selection before = a.selection();
            Selection after = Assistants.attempt(() -> apply(a, before, change));
            // A no-op change writes nothing, so the revision stays.
            boolean changed = after.revision() != before.revision();
            if (cli.json()) {
                ObjectNode doc = Assistants.selectionDoc(a.name(), after);
                doc.put("changed", changed);
                putJson(doc);
                cli.printJson(doc);
            } else {
                PrintWriter out = cli.out();
                Assistants.printChange(out, changed ? done(before, after) : unchanged(after), before, after, changed,
                        change);
                printMore(out);
            }
            return finish(cli);
        }
    }
}
