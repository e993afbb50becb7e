package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.PromptVersion;
import dev.finetune4j.assistant.Selection;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code finetune4j prompts ASSISTANT}: the prompt versions, oldest first. */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "List an assistant's prompt versions, the active one marked.")
final class PromptsCommand extends BaseCommand {

    /** Characters of the system prompt shown in the table. */
    private static final int PREVIEW = 48;

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            List<PromptVersion> prompts = a.promptVersions();
            Selection live = a.selection();
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.put("assistant", a.name());
                ArrayNode list = doc.putArray("prompts");
                prompts.forEach(p -> list.add(JsonDocs.promptVersion(p, live)));
                cli.printJson(doc);
            } else {
                print(cli.out(), a.name(), prompts, live);
            }
            return ExitCodes.OK;
        }
    }

    private static void print(PrintWriter out, String assistant, List<PromptVersion> prompts, Selection live) {
        if (prompts.isEmpty()) {
            out.println(assistant + ": no prompt versions; create one with `finetune4j prompt set " + assistant
                    + " --file PROMPT.txt`");
            return;
        }
        out.println(assistant + ": " + Reports.count(prompts.size(), "prompt version") + "; "
                + live.activePromptVersion().stream().mapToObj(n -> "prompt v" + n + " is active")
                        .findFirst().orElse("none is active"));
        TextTable table = new TextTable("", ">v", "created (UTC)", ">few-shot", ">chars", "note", "system prompt");
        for (PromptVersion p : prompts) {
            table.row(live.activePromptVersion().orElse(0) == p.number() ? "*" : "", p.number(),
                    Assistants.time(p.createdAt()), p.fewShot().size(), p.systemPrompt().length(),
                    p.note().orElse(""), preview(p.systemPrompt()));
        }
        table.print(out, "  ");
        if (live.activePromptVersion().isPresent()) {
            out.println("  (* active)");
        }
    }

    private static String preview(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= PREVIEW ? line : line.substring(0, PREVIEW - 3) + "...";
    }
}
