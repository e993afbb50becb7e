package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.PromptVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.tokens.TokenCounter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j prompt set ASSISTANT --file F [--few-shot N] [--dataset D[@V]]} or
 * {@code [--few-shot-from D[@V] --k N --few-shot-tokens T]}: a new prompt version, not activated.
 */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {
            "Create a prompt version from a text file (UTF-8; trailing whitespace is dropped), optionally with "
                + "few-shot examples: the first N examples of a dataset version's training split, in stored "
                + "order, so the same N and version always give the same examples.",
            "The new version is not activated: `prompt activate ASSISTANT VERSION` does that. A prompt identical "
                + "to an existing version (same text, same few-shot examples) creates nothing and prints that one."
        })
final class PromptSetCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The system prompt, as text.")
    Path file;

    @Option(names = "--few-shot", paramLabel = "N",
            description = "Add the first N examples of the dataset version's training split as few-shot examples.")
    Integer fewShot;

    @Option(names = "--dataset", paramLabel = "DATASET[@VERSION]",
            description = "Where --few-shot takes its examples: DATASET of this assistant or ASSISTANT/DATASET, "
                    + "optionally @VERSION (default: the latest version of the assistant's only dataset).")
    String dataset;

    @Option(names = "--few-shot-from", paramLabel = "DATASET[@VERSION]",
            description = "Pick --k diverse few-shot examples from this dataset version's training split: "
                    + "deterministic, by lexical diversity, within --few-shot-tokens (instead of --few-shot N).")
    String fewShotFrom;

    @Option(names = "--k", paramLabel = "N", description = "How many examples --few-shot-from picks (default: 3).")
    Integer k;

    @Option(names = "--few-shot-tokens", paramLabel = "TOKENS",
            description = "The most tokens the examples --few-shot-from picks may add up to (default: 1000), "
                    + "counted for the assistant's base model.")
    Integer fewShotTokens;

    @Option(names = "--note", paramLabel = "TEXT", description = "What the prompt is for (default: the file name).")
    String note;

    @Override
    public Integer call() {
        if (fewShot != null && fewShot < 0) {
            throw usage("--few-shot must be 0 or more, was " + fewShot);
        }
        if (dataset != null && fewShot == null) {
            throw usage("--dataset says where --few-shot N takes its examples; give --few-shot too");
        }
        if (fewShotFrom != null && fewShot != null) {
            throw usage("--few-shot N takes the first N examples, --few-shot-from picks diverse ones: give one");
        }
        if (fewShotFrom == null && (k != null || fewShotTokens != null)) {
            throw usage("--k and --few-shot-tokens go with --few-shot-from");
        }
        if (k != null && k < 1) {
            throw usage("--k must be at least 1, was " + k);
        }
        if (fewShotTokens != null && fewShotTokens < 1) {
            throw usage("--few-shot-tokens must be at least 1, was " + fewShotTokens);
        }
        String text = read(requireFile(file));
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            List<Example> shots = List.of();
            String source = null;
            boolean diverse = false;
            if (fewShot != null && fewShot > 0) {
                DatasetVersion dv = datasetVersion(s, a);
                Dataset ds = s.ft().dataset(dv.datasetRef());
                try (Stream<Example> train = ds.examples(dv, Split.TRAIN)) {
                    shots = train.limit(fewShot).toList();
                }
                source = dv.datasetRef() + "@" + dv.number();
                if (shots.size() < fewShot) {
                    throw new InputException(source + " has " + Reports.count(shots.size(), "training example")
                            + "; --few-shot asks for " + fewShot);
                }
            }
            if (fewShotFrom != null) {
                DatasetVersion dv = DatasetCommand.resolve(s, a.name(), fewShotFrom, "--few-shot-from", false, spec);
                int wanted = k != null ? k : 3;
                shots = s.ft().dataset(dv.datasetRef()).diverseExamples(dv, wanted,
                        fewShotTokens != null ? fewShotTokens : 1000,
                        TokenCounter.forModel(a.selection().baseModel()));
                source = dv.datasetRef() + "@" + dv.number();
                if (shots.isEmpty()) {
                    throw new InputException("no example of " + source + "'s training split fits in "
                            + (fewShotTokens != null ? fewShotTokens : 1000) + " tokens; raise --few-shot-tokens");
                }
                diverse = true;
            }
            List<String> ids = shots.stream().map(Example::id).toList();
            Optional<PromptVersion> same = a.promptVersions().stream()
                    .filter(p -> p.systemPrompt().equals(text)
                            && p.fewShot().stream().map(Example::id).toList().equals(ids))
                    .findFirst();
            List<Example> fewShotExamples = shots;
            PromptVersion p = same.orElseGet(() -> a.createPrompt(text, fewShotExamples,
                    note != null ? note : String.valueOf(file.getFileName())));
            Selection live = a.selection();
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.put("assistant", a.name());
                doc.put("created", same.isEmpty());
                doc.set("prompt", JsonDocs.promptVersion(p, live));
                doc.put("few_shot_source", source);
                cli.printJson(doc);
            } else {
                print(cli.out(), a.name(), p, same.isEmpty(), source, diverse, live);
            }
            return ExitCodes.OK;
        }
    }

    private static void print(PrintWriter out, String assistant, PromptVersion p, boolean created, String source,
            boolean diverse, Selection live) {
        String what = Reports.count(p.systemPrompt().length(), "character") + ", "
                + Reports.count(p.fewShot().size(), "few-shot example")
                + (source == null ? "" : diverse ? " (picked for diversity from " + source + "'s training split)"
                        : " (the first " + p.fewShot().size() + " of " + source + "'s training split)");
        if (created) {
            out.println("created prompt v" + p.number() + " of " + assistant + ": " + what);
        } else {
            out.println("no new prompt version: prompt v" + p.number() + " of " + assistant
                    + " already has this text and these few-shot examples (" + what + ")");
        }
        if (live.activePromptVersion().orElse(0) == p.number()) {
            out.println("  it is the active prompt");
        } else {
            out.println("  not active; activate it with `finetune4j prompt activate " + assistant + " " + p.number()
                    + "`");
        }
    }

    /** The dataset version --few-shot reads: --dataset, or the latest version of the assistant's only dataset. */
    private DatasetVersion datasetVersion(FinetuneCli.Session s, Assistant a) {
        return DatasetCommand.resolve(s, a.name(), dataset, "--few-shot", false, spec);
    }

    private static String read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new InputException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        text = text.stripTrailing();
        if (text.isEmpty()) {
            throw new InputException(file + " is empty: a prompt version needs a system prompt");
        }
        return text;
    }
}
