package dev.finetune4j.cli;

import dev.finetune4j.FineTuning;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code finetune4j dataset ...}: versioned datasets in the store. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Versioned datasets in the store: append a file as a new version, list the versions, "
                + "export a version for a provider.",
        subcommands = {
            DatasetAppendCommand.class,
            DatasetLogCommand.class,
            DatasetExportCommand.class
        })
final class DatasetCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw usage("missing subcommand: append, log or export");
    }

    /** The dataset named {@code ASSISTANT/DATASET}; a malformed name is a usage error. */
    static Dataset dataset(FineTuning ft, String ref, CommandSpec spec) {
        try {
            return ft.dataset(ref);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * The dataset version an assistant command works on: {@code ref} ({@code DATASET} of the
     * assistant or {@code ASSISTANT/DATASET}, optionally {@code @VERSION}), else the latest version
     * of the assistant's only dataset.
     *
     * @param what what needs the dataset, for the usage error when none can be chosen, e.g.
     *     {@code --few-shot} or {@code train}
     * @param ownOnly whether the dataset must belong to {@code assistant} (training and evaluation
     *     use the assistant's own datasets)
     */
    static DatasetVersion resolve(FinetuneCli.Session s, String assistant, String ref, String what, boolean ownOnly,
            CommandSpec spec) {
        String r = ref;
        if (r == null) {
            List<String> names = s.ft().datasets(assistant);
            if (names.size() != 1) {
                throw new ParameterException(spec.commandLine(), what + " needs --dataset DATASET[@VERSION]: "
                        + "assistant '" + assistant + "' has " + (names.isEmpty() ? "no dataset"
                                : names.size() + " datasets (" + String.join(", ", names) + ")"));
            }
            r = names.get(0);
        }
        int at = r.indexOf('@');
        String name = at < 0 ? r : r.substring(0, at);
        if (name.indexOf('/') < 0) {
            r = assistant + "/" + r;
        } else if (ownOnly && !name.startsWith(assistant + "/")) {
            throw new ParameterException(spec.commandLine(), "--dataset " + ref + " belongs to another assistant; "
                    + what + " uses a dataset of " + assistant + " (DATASET or " + assistant + "/DATASET)");
        }
        String[] parts = splitVersion(r, spec);
        return dataset(s.ft(), parts[0], spec).version(parts[1]);
    }

    /**
     * Splits {@code ASSISTANT/DATASET[@VERSION]}.
     *
     * @return the dataset reference and the version ({@code "latest"} when none is given)
     */
    static String[] splitVersion(String refAndVersion, CommandSpec spec) {
        int at = refAndVersion.indexOf('@');
        if (at < 0) {
            return new String[] {refAndVersion, "latest"};
        }
        String version = refAndVersion.substring(at + 1);
        if (version.isEmpty() || version.indexOf('@') >= 0) {
            throw new ParameterException(spec.commandLine(), "'" + refAndVersion
                    + "' must be ASSISTANT/DATASET or ASSISTANT/DATASET@VERSION (a number, v2, dv-... or latest)");
        }
        return new String[] {refAndVersion.substring(0, at), version};
    }
}
