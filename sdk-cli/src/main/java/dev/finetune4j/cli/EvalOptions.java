package dev.finetune4j.cli;

import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.eval.EvalSpec;
import dev.finetune4j.eval.Scorer;
import dev.finetune4j.eval.Scorers;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The evaluation set and scorer of {@code eval} and {@code promote}. */
final class EvalOptions {

    @Option(names = "--dataset", paramLabel = "DATASET[@VERSION]",
            description = "The examples: DATASET of the assistant (or ASSISTANT/DATASET), optionally @VERSION "
                    + "(default: the latest version of the assistant's only dataset).")
    String dataset;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "validation",
            converter = Converters.SplitConverter.class,
            description = "validation (held out from training) or train (default: ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--scorer", paramLabel = "SCORER", defaultValue = "json-fields",
            description = "json-fields (per field of JSON answers), exact or normalized (default: ${DEFAULT-VALUE}).")
    String scorer;

    @Option(names = "--tolerance", paramLabel = "FRACTION", defaultValue = "0.01",
            description = "json-fields: how far a number may be from the expected one, relative (default: "
                    + "${DEFAULT-VALUE}, 1 %%).")
    double tolerance;

    @Option(names = "--max", paramLabel = "N", description = "Use at most the first N examples.")
    Integer max;

    /** The scorer named by {@code --scorer}; a usage error for another name or a bad tolerance. */
    Scorer scorer(CommandSpec spec) {
        if (!(tolerance >= 0)) {
            throw new ParameterException(spec.commandLine(), "--tolerance must be 0 or more, was " + tolerance);
        }
        return switch (scorer) {
            case "json-fields" -> Scorers.jsonFields(tolerance);
            case "exact" -> Scorers.exactMatch();
            case "normalized" -> Scorers.normalizedText();
            default -> throw new ParameterException(spec.commandLine(), "--scorer '" + scorer
                    + "' is not a scorer: use json-fields, exact or normalized");
        };
    }

    /** A spec builder for the assistant with the set, the scorer and the limit; the caller adds targets. */
    EvalSpec.Builder spec(FinetuneCli.Session s, String assistant, String what, CommandSpec spec) {
        if (max != null && max < 1) {
            throw new ParameterException(spec.commandLine(), "--max must be at least 1, was " + max);
        }
        Scorer sc = scorer(spec);
        DatasetVersion dv = DatasetCommand.resolve(s, assistant, dataset, what, true, spec);
        EvalSpec.Builder b = EvalSpec.builder(assistant).dataset(dv.dataset()).datasetVersion(dv.id()).split(split)
                .scorer(sc);
        if (max != null) {
            b.maxExamples(max);
        }
        return b;
    }
}
