package dev.finetune4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the root's options and streams, usage errors, file checks. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The root command, holding the global options and the output streams. */
    final FinetuneCli cli() {
        return (FinetuneCli) spec.root().userObject();
    }

    /** A usage error (exit 2) naming this command. */
    final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Fails with exit 1 unless {@code file} is a readable regular file. */
    static Path requireFile(Path file) {
        if (!Files.exists(file)) {
            throw new InputException("no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException("not a file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new InputException("cannot read " + file + ": permission denied");
        }
        return file;
    }
}
