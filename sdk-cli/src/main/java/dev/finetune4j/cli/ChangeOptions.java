package dev.finetune4j.cli;

import dev.finetune4j.assistant.Change;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --actor} and {@code --reason}: who changes a selection and why, for the timeline. */
final class ChangeOptions {

    @Option(names = "--actor", paramLabel = "NAME",
            description = "Who makes the change, recorded in the timeline (default: $USER, else cli).")
    String actor;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the timeline (default: none).")
    String reason;

    /** The change to record; a blank {@code --actor} is a usage error. */
    Change change(FinetuneCli cli, CommandSpec spec) {
        return Change.by(actor(actor, cli, spec), reason == null ? "" : reason);
    }

    /** The actor {@code --actor} names, else {@link FinetuneCli#defaultActor()}; blank is a usage error. */
    static String actor(String option, FinetuneCli cli, CommandSpec spec) {
        String who = option != null ? option.strip() : cli.defaultActor();
        if (who.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--actor must not be blank");
        }
        return who;
    }
}
