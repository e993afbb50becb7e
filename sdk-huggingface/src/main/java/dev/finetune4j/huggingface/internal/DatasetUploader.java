package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.StoreException;
import dev.finetune4j.TransportException;
import dev.finetune4j.huggingface.HuggingFaceProviderFactory;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.spi.kit.ProviderJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes one dataset version to a private Hub dataset repository {@code {namespace}/{assistant}-data}
 * as {@code train.jsonl} (and {@code validation.jsonl}) in one commit on {@code main}:
 *
 * <ol>
 *   <li>create the repository, or find it there ({@code 409});
 *   <li>preupload: the Hub says per file whether it goes as a regular git blob or through LFS, and
 *       which blob it holds at that path now;
 *   <li>when the Hub already holds exactly these files (its {@code oid} equals the file's git blob
 *       id, or its SHA-256 for LFS files), no commit is made: the version was pushed before, and
 *       the commit {@code main} points at is used;
 *   <li>otherwise LFS files are sent through the LFS batch API (streamed from disk) and one NDJSON
 *       commit adds every file: a {@code header} line, {@code file} lines carrying regular files
 *       in base64 and {@code lfsFile} lines naming LFS objects.
 * </ol>
 *
 * The commit body is built in memory: regular files are small by the Hub's own rule (it sends
 * larger files to LFS; huggingface_hub assumes at most 5 MB), and a file the Hub calls regular
 * above {@value #MAX_REGULAR_BYTES} bytes is refused rather than loaded. A commit whose answer is
 * lost is not sent again blindly: the preupload is asked again and, if the files arrived, that
 * commit is adopted. Thread-safe.
 */
public final class DatasetUploader {

    /** The largest file sent inline (base64 in the commit body); the Hub sends larger ones to LFS. */
    public static final long MAX_REGULAR_BYTES = 64L * 1024 * 1024;

    /** The path of the training split in the dataset repository. */
    public static final String TRAIN_PATH = "train.jsonl";

    /** The path of the validation split in the dataset repository. */
    public static final String VALIDATION_PATH = "validation.jsonl";

    /** The branch commits go to. */
    public static final String REVISION = "main";

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(HuggingFaceProviderFactory.ID));
    private static final String TYPE = "dataset";

    private final HubApi hub;
    private final LfsUploader lfs;
    private final Supplier<String> namespace;

    /** An uploader into the given namespace (resolved on first use). */
    public DatasetUploader(HubApi hub, LfsUploader lfs, Supplier<String> namespace) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.lfs = Objects.requireNonNull(lfs, "lfs");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /** The dataset repository id for an assistant. */
    public static String datasetRepo(String namespace, String assistant) {
        return namespace + "/" + RepoNames.repoName(assistant, "data");
    }

    /** Uploads (or finds already uploaded) the files of one dataset version. */
    public UploadedData upload(TrainingData data) {
        Objects.requireNonNull(data, "data");
        String ns = namespace.get();
        String assistant = RepoNames.assistantFromLabel(data.label());
        String repo = datasetRepo(ns, assistant);
        hub.createRepo(ns, RepoNames.nameOf(repo), TYPE);

        List<Local> files = new ArrayList<>();
        files.add(local(TRAIN_PATH, data.trainingFile()));
        data.validation().ifPresent(v -> files.add(local(VALIDATION_PATH, v)));
        List<HubApi.Upload> uploads = files.stream().map(Local::upload).toList();

        List<HubApi.UploadMode> modes = hub.preupload(TYPE, repo, REVISION, uploads);
        String commit;
        boolean reused = alreadyThere(files, modes);
        if (reused) {
            commit = hub.revisionSha(TYPE, repo, REVISION);
            LOG.info("huggingface: {} already holds {} ({}); no commit", repo, data.label(), data.datasetVersionId());
        } else {
            commit = commit(repo, data, files, modes);
        }

        Map<String, String> details = new LinkedHashMap<>();
        details.put("repo", repo);
        details.put("commit", commit);
        details.put("revision", REVISION);
        details.put("dataset_version", data.datasetVersionId());
        details.put("reused", Boolean.toString(reused));
        details.put("training_examples", Long.toString(data.trainingExamples()));
        for (int i = 0; i < files.size(); i++) {
            Local f = files.get(i);
            String key = f.path.equals(TRAIN_PATH) ? "train" : "validation";
            details.put(key + "_bytes", Long.toString(f.digest.size()));
            details.put(key + "_sha256", f.digest.sha256());
            details.put(key + "_upload_mode", modes.get(i).lfs() ? "lfs" : "regular");
        }
        return new UploadedData(RepoNames.ref(repo, commit, TRAIN_PATH),
                data.validation().isPresent() ? RepoNames.ref(repo, commit, VALIDATION_PATH) : null, details);
    }

    private String commit(String repo, TrainingData data, List<Local> files, List<HubApi.UploadMode> modes) {
        for (int i = 0; i < files.size(); i++) {
            if (modes.get(i).lfs()) {
                Local f = files.get(i);
                lfs.upload(TYPE, repo, REVISION, f.file, f.digest);
            }
        }
        byte[] body = ndjson(data, files, modes);
        try {
            String commit = hub.commit(TYPE, repo, REVISION, body);
            LOG.info("huggingface: pushed {} ({}) to {} as commit {}", data.label(), data.datasetVersionId(), repo,
                    commit);
            return commit;
        } catch (TransportException e) {
            if (!e.mayHaveReachedServer()) {
                throw e;
            }
            // The commit may have landed: the Hub then holds exactly these files.
            List<HubApi.UploadMode> now = hub.preupload(TYPE, repo, REVISION,
                    files.stream().map(Local::upload).toList());
            if (!alreadyThere(files, now)) {
                throw e;
            }
            LOG.info("huggingface: the commit to {} arrived although its answer was lost", repo);
            return hub.revisionSha(TYPE, repo, REVISION);
        }
    }

    /** The commit body: one JSON object per line. */
    private static byte[] ndjson(TrainingData data, List<Local> files, List<HubApi.UploadMode> modes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ObjectNode header = ProviderJson.mapper().createObjectNode().put("key", "header");
        header.putObject("value")
                .put("summary", "finetune4j: " + data.label() + " (" + data.datasetVersionId() + ")")
                .put("description", "Dataset version " + data.datasetVersionId() + " (" + data.label() + "), "
                        + data.trainingExamples() + " training examples"
                        + (data.validation().isPresent() ? " and a validation split" : "")
                        + ", pushed by finetune4j.");
        line(out, header);
        for (int i = 0; i < files.size(); i++) {
            Local f = files.get(i);
            ObjectNode op = ProviderJson.mapper().createObjectNode();
            if (modes.get(i).lfs()) {
                op.put("key", "lfsFile").putObject("value")
                        .put("path", f.path)
                        .put("algo", "sha256")
                        .put("oid", f.digest.sha256())
                        .put("size", f.digest.size());
            } else {
                op.put("key", "file").putObject("value")
                        .put("content", Base64.getEncoder().encodeToString(readRegular(f)))
                        .put("path", f.path)
                        .put("encoding", "base64");
            }
            line(out, op);
        }
        return out.toByteArray();
    }

    private static byte[] readRegular(Local f) {
        if (f.digest.size() > MAX_REGULAR_BYTES) {
            throw new FineTuneException("huggingface: the Hub asked for " + f.path + " (" + f.digest.size()
                    + " bytes) as a regular file; files above " + MAX_REGULAR_BYTES + " bytes are only sent through "
                    + "LFS. Add '*.jsonl filter=lfs diff=lfs merge=lfs -text' to the repository's .gitattributes");
        }
        try {
            byte[] bytes = Files.readAllBytes(f.file);
            if (bytes.length != f.digest.size()) {
                throw new StoreException(f.file + " changed while it was being uploaded");
            }
            return bytes;
        } catch (IOException e) {
            throw new StoreException("could not read " + f.file + ": " + e.getMessage(), e);
        }
    }

    private static void line(ByteArrayOutputStream out, ObjectNode node) {
        try {
            out.write(ProviderJson.mapper().writeValueAsBytes(node));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean alreadyThere(List<Local> files, List<HubApi.UploadMode> modes) {
        for (int i = 0; i < files.size(); i++) {
            HubApi.UploadMode m = modes.get(i);
            FileDigest d = files.get(i).digest;
            String local = m.lfs() ? d.sha256() : d.gitOid();
            if (m.remoteOid() == null || !m.remoteOid().equalsIgnoreCase(local)) {
                return false;
            }
        }
        return true;
    }

    private static Local local(String path, Path file) {
        try {
            return new Local(path, file, FileDigest.of(file));
        } catch (IOException e) {
            throw new StoreException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A file to send: its path in the repository, where it is, and its digest. */
    private record Local(String path, Path file, FileDigest digest) {
        HubApi.Upload upload() {
            return new HubApi.Upload(path, digest);
        }
    }
}
