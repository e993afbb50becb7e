package dev.finetune4j.cli;

import dev.finetune4j.FineTuning;
import dev.finetune4j.dataset.Dataset;
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
