package dev.finetune4j.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Hub repository the {@link HuggingFaceEmulator} holds, as seen by a test at the moment it was read.
 *
 * @param id {@code namespace/name}
 * @param type {@code dataset} or {@code model} (or {@code space})
 * @param isPrivate whether it was created private
 * @param commits the commit ids on {@code main}, oldest (the initial commit) first
 * @param files the files at the head of {@code main}, path to content decoded as UTF-8; unmodifiable
 * @param createdAt when it was created, on the emulator's clock
 */
public record EmulatedRepo(String id, String type, boolean isPrivate, List<String> commits, Map<String, String> files,
                           Instant createdAt) {

    public EmulatedRepo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        commits = List.copyOf(commits);
        files = Map.copyOf(files);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The commit {@code main} points at. */
    public String head() {
        return commits.get(commits.size() - 1);
    }

    /** A file's content at the head of {@code main}. */
    public Optional<String> file(String path) {
        return Optional.ofNullable(files.get(path));
    }
}
