package dev.finetune4j.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The files of an emulation whose API has a files endpoint, oldest first, and the routes every
 * such endpoint shares: read one, delete one, download its content. Guarded by the emulation's
 * lock.
 */
public final class FileStore {

    private final Map<String, StoredFile> files = new LinkedHashMap<>();
    private final Function<String, ApiError> notFound;

    /** @param notFound the provider's error for an unknown file id */
    public FileStore(Function<String, ApiError> notFound) {
        this.notFound = notFound;
    }

    public StoredFile put(StoredFile file) {
        files.put(file.id(), file);
        return file;
    }

    /** The file, else the provider's not-found error. */
    public StoredFile get(String id) {
        StoredFile f = files.get(id);
        if (f == null) {
            throw notFound.apply(id);
        }
        return f;
    }

    /** The file, or null. */
    public StoredFile find(String id) {
        return files.get(id);
    }

    public Collection<StoredFile> all() {
        return Collections.unmodifiableCollection(files.values());
    }

    public List<EmulatedFile> snapshots() {
        List<EmulatedFile> out = new ArrayList<>();
        files.values().forEach(f -> out.add(f.snapshot()));
        return out;
    }

    public void clear() {
        files.clear();
    }

    /**
     * Adds {@code GET} and {@code DELETE} of {@code base/{id}} and {@code GET base/{id}/content},
     * writing a file as {@code json} does.
     */
    public void routes(Routes routes, String base, Function<StoredFile, ObjectNode> json) {
        routes.get(base + "/{id}", call -> Reply.ok(json.apply(get(call.param("id")))))
                .delete(base + "/{id}", call -> {
                    String id = get(call.param("id")).id();
                    files.remove(id);
                    return Reply.ok(Jsons.object().put("id", id).put("object", "file").put("deleted", true));
                })
                .get(base + "/{id}/content", call -> Reply.status(200).header("Content-Type", "application/octet-stream")
                        .body(get(call.param("id")).content()));
    }
}
