package dev.finetune4j.cli;

import dev.finetune4j.AuthenticationException;
import dev.finetune4j.ConflictException;
import dev.finetune4j.DeploymentMayExistException;
import dev.finetune4j.DeploymentRequiredException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.InsufficientExamplesException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.JobsEndedException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.StoreException;
import dev.finetune4j.TransportException;
import dev.finetune4j.UnsupportedCapabilityException;
import dev.finetune4j.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

/**
 * What an exception means for the user: the exit code, a stable snake_case type for the
 * {@code --json} error document, and the message to print.
 *
 * @param exitCode one of {@link ExitCodes}
 * @param type e.g. {@code not_found}, {@code validation}, {@code invalid_state}, {@code conflict}
 * @param message the sentence printed after {@code finetune4j: }
 */
record Failure(int exitCode, String type, String message) {

    /** Classifies an exception thrown while a command ran. */
    static Failure of(Throwable t) {
        if (t instanceof CommandFailure e) {
            return new Failure(e.exitCode(), e.type(), e.getMessage());
        }
        if (t instanceof InputException e) {
            return new Failure(ExitCodes.INPUT, e.type(), e.getMessage());
        }
        if (t instanceof ValidationException e) {
            return new Failure(ExitCodes.INPUT, "validation", e.getMessage());
        }
        if (t instanceof InsufficientExamplesException e) {
            return new Failure(ExitCodes.INPUT, "insufficient_examples", e.getMessage());
        }
        if (t instanceof JobsEndedException e) {
            return new Failure(ExitCodes.INPUT, "jobs_ended", e.getMessage());
        }
        if (t instanceof DeploymentRequiredException e) {
            return new Failure(ExitCodes.INPUT, "deployment_required", e.getMessage());
        }
        if (t instanceof DeploymentMayExistException e) {
            return new Failure(ExitCodes.PROVIDER, "deployment_may_exist", e.getMessage());
        }
        if (t instanceof NotFoundException e) {
            return new Failure(ExitCodes.INPUT, "not_found", e.getMessage());
        }
        if (t instanceof ConflictException e) {
            return new Failure(ExitCodes.CONFLICT, "conflict", e.getMessage()
                    + " (another process changed it first; run the command again)");
        }
        if (t instanceof AuthenticationException e) {
            return new Failure(ExitCodes.INPUT, "authentication", e.getMessage() + " (check the provider's key: "
                    + ProviderRegistry.keyVariable(e.provider()) + ")");
        }
        if (t instanceof UnsupportedCapabilityException e) {
            return new Failure(ExitCodes.INPUT, "unsupported", e.getMessage());
        }
        if (t instanceof InvalidRequestException e) {
            return new Failure(ExitCodes.INPUT, "provider_rejected", e.getMessage());
        }
        if (t instanceof ProviderException e) {
            return new Failure(ExitCodes.PROVIDER, "provider", e.getMessage());
        }
        if (t instanceof TransportException e) {
            return new Failure(ExitCodes.PROVIDER, "network", e.getMessage());
        }
        if (t instanceof StoreException e) {
            // an unreachable database is a network failure; a broken store directory is not
            return new Failure(isNetwork(e) ? ExitCodes.PROVIDER : ExitCodes.INPUT, "store", e.getMessage());
        }
        if (t instanceof FineTuneException e) {
            // Anything else with a network cause is still a network failure.
            return isNetwork(e)
                    ? new Failure(ExitCodes.PROVIDER, "provider", e.getMessage())
                    : new Failure(ExitCodes.INPUT, "error", e.getMessage());
        }
        if (t instanceof UncheckedIOException e) {
            return new Failure(ExitCodes.INPUT, "io", describe(e.getCause()));
        }
        if (t instanceof IOException e) {
            return new Failure(ExitCodes.INPUT, "io", describe(e));
        }
        if (t instanceof UnsupportedOperationException e) {
            return new Failure(ExitCodes.INPUT, "invalid_state", e.getMessage());
        }
        if (t instanceof IllegalArgumentException e) {
            return new Failure(ExitCodes.INPUT, "input", e.getMessage());
        }
        return new Failure(ExitCodes.INPUT, "internal", "internal error: " + t
                + " (this is a bug; run again with --verbose for the stack trace and report it)");
    }

    private static boolean isNetwork(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                    || c instanceof HttpTimeoutException || c instanceof SocketTimeoutException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
