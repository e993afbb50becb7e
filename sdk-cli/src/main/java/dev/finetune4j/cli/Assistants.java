package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuning;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the assistant commands share: opening an assistant, failures, and how a selection reads. */
final class Assistants {

    private Assistants() {}

    /**
     * An existing assistant; a malformed name is a usage error (exit 2), a missing one exit 1 with
     * the command that creates it.
     */
    static Assistant open(FinetuneCli.Session s, String name, CommandSpec spec) {
        try {
            return s.ft().assistant(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (NotFoundException e) {
            throw new NotFoundException("assistant '" + name + "' does not exist in the store " + s.location()
                    + " (tenant " + s.ft().tenant().id() + "); create it with `finetune4j assistant create " + name
                    + " --provider PROVIDER --model BASE_MODEL`");
        }
    }

    /**
     * Whether an assistant exists.
     *
     * @throws IllegalArgumentException for a malformed name
     */
    static boolean exists(FineTuning ft, String name) {
        try {
            ft.assistant(name);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Runs a library call whose preconditions the user must fix (nothing to roll back to, a deleted
     * version, a share out of range): their exceptions become exit 1 with the library's message.
     */
    static <T> T attempt(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            throw new InputException("invalid_state", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InputException("input", e.getMessage());
        }
    }

    /** {@code {"assistant", "selection": {...}}}: what every selection-changing command prints. */
    static ObjectNode selectionDoc(String assistant, Selection selection) {
        ObjectNode doc = JsonDocs.object();
        doc.put("assistant", assistant);
        doc.set("selection", JsonDocs.selection(selection));
        return doc;
    }

    /**
     * A change in human words: the headline, then the selection now (with the revision, actor and
     * reason) and, if it changed, what it was.
     */
    static void printChange(PrintWriter out, String headline, Selection before, Selection after, boolean changed,
            Change change) {
        out.println(headline);
        if (changed) {
            out.println("  now: " + after.describe() + " (revision " + after.revision() + ", by "
                    + Visible.of(change.actor()) + (change.reason().isEmpty() ? "" : ": " + Visible.of(change.reason()))
                    + ")");
            out.println("  was: " + before.describe() + " (revision " + before.revision() + ")");
        } else {
            out.println("  now: " + after.describe() + " (revision " + after.revision() + ", unchanged)");
        }
    }

    /** {@code 2026-11-22 00:12:00Z}: a time to the second, for tables. */
    static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
    }
}
