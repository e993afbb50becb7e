package dev.finetune4j.internal.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.ConflictException;
import dev.finetune4j.CorruptDataException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.ValidationException;
import dev.finetune4j.dataset.AppendResult;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.dataset.SplitPolicy;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.internal.Names;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.internal.validate.ExampleReader;
import dev.finetune4j.internal.validate.ImportRun;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A {@link Dataset} kept in a {@link VersionStore}: the record {@code datasets/<assistant>/<name>}
 * has one revision per version (its {@link Manifest}); examples live in content-addressed segment
 * blobs. A new version writes only its own segment (or removal list), its id index and the manifest.
 */
public final class StoredDataset implements Dataset {

    static final String COLLECTION = "datasets";
    private static final int MAX_ATTEMPTS = 20;

    private final VersionStore store;
    private final Tenant tenant;
    private final String assistant;
    private final String name;
    private final StoreKey key;
    private final Clock clock;
    private final SplitPolicy splitPolicy;

    /** A dataset handle; nothing is read or written until a method is called. */
    public StoredDataset(VersionStore store, Tenant tenant, String assistant, String name, Clock clock,
            SplitPolicy splitPolicy) {
        this.store = Objects.requireNonNull(store, "store");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.assistant = Names.requireValid(assistant, "assistant name");
        this.name = Names.requireValid(name, "dataset name");
        this.key = new StoreKey(tenant, COLLECTION, assistant + "/" + name);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.splitPolicy = Objects.requireNonNull(splitPolicy, "splitPolicy");
    }

    @Override
    public String assistant() {
        return assistant;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SplitPolicy splitPolicy() {
        return splitPolicy;
    }

    @Override
    public AppendResult append(Collection<Example> examples, String note) {
        Objects.requireNonNull(examples, "examples");
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        for (Example e : examples) {
            jsonl.writeBytes(ExampleCodec.toJson(Objects.requireNonNull(e, "example"), true)
                    .getBytes(StandardCharsets.UTF_8));
            jsonl.write('\n');
        }
        return importJsonl(new ByteArrayInputStream(jsonl.toByteArray()),
                ImportOptions.builder().strict(true).parallelism(1).build(), note);
    }

    @Override
    public AppendResult importJsonl(Path file, ImportOptions options, String note) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return importJsonl(in, options, note);
        } catch (IOException e) {
            throw new FineTuneException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public AppendResult importJsonl(InputStream in, ImportOptions options, String note) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(options, "options");
        Path segment = null;
        Path index = null;
        try {
            // staged with the store (never in the system temp directory): user data stays where the user put it
            Path staging = store.stagingDirectory();
            segment = Files.createTempFile(staging, "segment-", ".jsonl");
            index = Files.createTempFile(staging, "index-", ".bin");
            IdIndex candidates = new IdIndex(1024);
            ImportRun run = new ImportRun(options);
            ValidationReport report;
            try (OutputStream seg = new BufferedOutputStream(Files.newOutputStream(segment), 1 << 16);
                    DataOutputStream idx = new DataOutputStream(
                            new BufferedOutputStream(Files.newOutputStream(index), 1 << 16))) {
                report = run.runKeepingLines(in, (r, canonical) -> {
                    try {
                        String id = r.example().id();
                        candidates.putIfAbsent(id, r.line());
                        seg.write(canonical);
                        seg.write('\n');
                        idx.writeLong(IdIndex.high(id));
                        idx.writeLong(IdIndex.low(id));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            if (options.strict() && report.hasErrors()) {
                ValidationIssue first = report.errors().get(0);
                throw new ValidationException(ref() + ": the input has " + report.invalid()
                        + " invalid line(s), nothing was stored; first: " + first, report);
            }
            return commitAppend(run, candidates, segment, index, note);
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("could not stage the import for " + ref() + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(segment);
            deleteQuietly(index);
        }
    }

    private AppendResult commitAppend(ImportRun run, IdIndex candidates, Path segment, Path index, String note)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            Optional<Revision> head = store.latest(key);
            Manifest parent = head.map(r -> Manifest.fromJson(r.value(), where(r.number()))).orElse(null);
            requireContent(parent);
            IdIndex known = parent == null ? new IdIndex(16) : findPresent(parent, candidates);
            long newCount = candidates.size() - known.size();
            if (newCount == 0) {
                markKnown(run, candidates, known, segment, index);
                DatasetVersion current = parent == null ? null : parent.toVersion(assistant, name);
                return new AppendResult(current, current, false, run.report());
            }
            BlobRef segBlob;
            BlobRef idxBlob;
            if (known.size() == 0) {
                segBlob = putBlob(segment);
                idxBlob = putBlob(index);
            } else {
                Path[] filtered = filter(segment.getParent(), segment, index, known);
                try {
                    segBlob = putBlob(filtered[0]);
                    idxBlob = putBlob(filtered[1]);
                } finally {
                    deleteQuietly(filtered[0]);
                    deleteQuietly(filtered[1]);
                }
            }
            BlobRef bloomBlob = store.putBlob(tenant, new ByteArrayInputStream(
                    bloomOf(candidates, known, newCount).toBytes()));
            Manifest.Entry entry = new Manifest.Entry(true, segBlob.id(), idxBlob.id(), newCount, bloomBlob.id());
            Manifest next = next(parent, entry, note, newCount, 0);
            try {
                store.write(key, next.toJson(), head.map(Revision::number).orElse(0L));
            } catch (ConflictException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                continue;
            }
            markKnown(run, candidates, known, segment, index);
            return new AppendResult(next.toVersion(assistant, name),
                    parent == null ? null : parent.toVersion(assistant, name), true, run.report());
        }
    }

    /**
     * Refuses to build on a version whose content is not all in the store: a new version would share
     * the missing blobs and could never be exported. Checks every blob the version references is
     * present; what the change then reads of it (Bloom filters, id indexes, removal lists) is
     * verified as it is read. Costs one presence check a blob, never a read of the segments.
     *
     * @throws CorruptDataException naming the version and the missing blob
     */
    private void requireContent(Manifest version) {
        if (version == null) {
            return;
        }
        for (Manifest.Entry e : version.log()) {
            requireBlob(version, e.blob(), e.add() ? "segment" : "removal list");
            if (e.index() != null) {
                requireBlob(version, e.index(), "id index");
            }
            if (e.bloom() != null) {
                requireBlob(version, e.bloom(), "Bloom filter");
            }
        }
    }

    private void requireBlob(Manifest version, String blob, String role) {
        if (!store.hasBlob(tenant, blob)) {
            throw new CorruptDataException(blob, "dataset " + where(version.number()) + " cannot be built on: its "
                    + role + " blob " + blob + " is missing from the store, so a new version could never be exported; "
                    + "nothing was stored. Restore the blob from a backup (`finetune4j store verify` checks the "
                    + "whole store)");
        }
    }

    /** The Bloom filter of the ids a new segment holds: the candidates the parent did not have. */
    private static IdBloom bloomOf(IdIndex candidates, IdIndex known, long count) {
        IdBloom bloom = IdBloom.forIds(count);
        candidates.forEach((hi, lo) -> {
            if (known.get(hi, lo) == IdIndex.NONE) {
                bloom.add(hi, lo);
            }
        });
        return bloom;
    }

    /** Reports the lines whose examples the parent already had, in input order. */
    private static void markKnown(ImportRun run, IdIndex candidates, IdIndex known, Path segment, Path index)
            throws IOException {
        if (known.size() == 0) {
            return;
        }
        try (DataInputStream idx = new DataInputStream(new BufferedInputStream(Files.newInputStream(index)))) {
            for (long i = 0; i < candidates.size(); i++) {
                long hi = idx.readLong();
                long lo = idx.readLong();
                long version = known.get(hi, lo);
                if (version != IdIndex.NONE) {
                    run.rejectAsKnown(candidates.get(hi, lo), hex(hi, lo), "version " + version);
                }
            }
        }
    }

    private Manifest next(Manifest parent, Manifest.Entry entry, String note, long added, long removed) {
        List<Manifest.Entry> log = new ArrayList<>(parent == null ? List.of() : parent.log());
        log.add(entry);
        String parentId = parent == null ? null : parent.id();
        long examples = (parent == null ? 0 : parent.examples()) + added - removed;
        return new Manifest(Manifest.deriveId(parentId, List.of(entry)), parent == null ? 1 : parent.number() + 1,
                parentId, clock.instant(), note, examples, added, removed, log);
    }

    /**
     * Which of the candidate ids a version has, each mapped to the version number that added it.
     * Streams the version's id indexes; memory is bounded by the number of candidates.
     */
    private IdIndex findPresent(Manifest version, IdIndex candidates) {
        IdIndex removedAt = removalPositions(version, candidates);
        IdIndex present = new IdIndex(64);
        List<Manifest.Entry> log = version.log();
        for (int pos = 0; pos < log.size(); pos++) {
            Manifest.Entry e = log.get(pos);
            if (!e.add() || !mightHaveAny(version, e, candidates)) {
                continue;
            }
            try (DataInputStream idx = openIds(e.index(), "id index", version.number())) {
                for (long i = 0; i < e.count(); i++) {
                    long hi = idx.readLong();
                    long lo = idx.readLong();
                    if (candidates.contains(hi, lo)) {
                        long removal = removedAt.get(hi, lo);
                        if (removal == IdIndex.NONE || removal < pos) {
                            present.putMax(hi, lo, pos + 1);
                        }
                    }
                }
            } catch (IOException ex) {
                throw corrupt(e.index(), ex);
            }
        }
        return present;
    }

    /** Whether a segment might hold one of the candidates: its Bloom filter says so, or it has none. */
    private boolean mightHaveAny(Manifest version, Manifest.Entry e, IdIndex candidates) {
        if (e.bloom() == null) {
            return true;
        }
        IdBloom bloom;
        try (InputStream in = open(e.bloom(), "Bloom filter", version.number())) {
            bloom = IdBloom.read(in);
        } catch (IOException ex) {
            throw corrupt(e.bloom(), ex);
        }
        boolean[] maybe = {false};
        candidates.forEach((hi, lo) -> maybe[0] |= bloom.mightContain(hi, lo));
        return maybe[0];
    }

    /** For every id removed somewhere in the log (restricted to {@code only} when given): the last removal's position. */
    private IdIndex removalPositions(Manifest version, IdIndex only) {
        IdIndex removedAt = new IdIndex(64);
        List<Manifest.Entry> log = version.log();
        for (int pos = 0; pos < log.size(); pos++) {
            Manifest.Entry e = log.get(pos);
            if (e.add()) {
                continue;
            }
            try (DataInputStream ids = openIds(e.blob(), "removal list", version.number())) {
                for (long i = 0; i < e.count(); i++) {
                    long hi = ids.readLong();
                    long lo = ids.readLong();
                    if (only == null || only.contains(hi, lo)) {
                        removedAt.putMax(hi, lo, pos);
                    }
                }
            } catch (IOException ex) {
                throw corrupt(e.blob(), ex);
            }
        }
        return removedAt;
    }

    private static Path[] filter(Path staging, Path segment, Path index, IdIndex skip) throws IOException {
        Path seg2 = Files.createTempFile(staging, "segment-", ".jsonl");
        Path idx2 = Files.createTempFile(staging, "index-", ".bin");
        try (BufferedReader lines = Files.newBufferedReader(segment, StandardCharsets.UTF_8);
                DataInputStream ids = new DataInputStream(new BufferedInputStream(Files.newInputStream(index)));
                OutputStream segOut = new BufferedOutputStream(Files.newOutputStream(seg2), 1 << 16);
                DataOutputStream idxOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(idx2)))) {
            for (String line; (line = lines.readLine()) != null; ) {
                long hi = ids.readLong();
                long lo = ids.readLong();
                if (skip.contains(hi, lo)) {
                    continue;
                }
                segOut.write(line.getBytes(StandardCharsets.UTF_8));
                segOut.write('\n');
                idxOut.writeLong(hi);
                idxOut.writeLong(lo);
            }
        }
        return new Path[] {seg2, idx2};
    }

    @Override
    public DatasetVersion remove(Collection<String> exampleIds, String note) {
        Objects.requireNonNull(exampleIds, "exampleIds");
        if (exampleIds.isEmpty()) {
            throw new IllegalArgumentException("exampleIds must not be empty");
        }
        IdIndex wanted = new IdIndex(exampleIds.size());
        for (String id : exampleIds) {
            if (id == null || !id.matches("[0-9a-f]{32}")) {
                throw new IllegalArgumentException("example id must be 32 lowercase hex characters, was '"
                        + (id == null ? "null" : Names.printable(id)) + "'");
            }
            wanted.add(id);
        }
        for (int attempt = 1; ; attempt++) {
            Revision head = store.latest(key).orElseThrow(() ->
                    new NotFoundException("dataset '" + ref() + "' has no versions to remove examples from"));
            Manifest parent = Manifest.fromJson(head.value(), where(head.number()));
            requireContent(parent);
            IdIndex present = findPresent(parent, wanted);
            if (present.size() != wanted.size()) {
                List<String> missing = exampleIds.stream().distinct()
                        .filter(id -> present.get(IdIndex.high(id), IdIndex.low(id)) == IdIndex.NONE).toList();
                throw new NotFoundException("dataset '" + ref() + "' version " + parent.number() + " has no example "
                        + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                        + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "") + "; nothing was removed");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * wanted.size());
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                for (String id : exampleIds.stream().distinct().toList()) {
                    out.writeLong(IdIndex.high(id));
                    out.writeLong(IdIndex.low(id));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            BlobRef blob = store.putBlob(tenant, new ByteArrayInputStream(bytes.toByteArray()));
            Manifest next = next(parent, new Manifest.Entry(false, blob.id(), null, wanted.size()), note, 0,
                    wanted.size());
            try {
                store.write(key, next.toJson(), head.number());
                return next.toVersion(assistant, name);
            } catch (ConflictException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<DatasetVersion> latest() {
        return store.latest(key).map(r -> Manifest.fromJson(r.value(), where(r.number())).toVersion(assistant, name));
    }

    @Override
    public DatasetVersion version(String numberOrId) {
        Objects.requireNonNull(numberOrId, "numberOrId");
        if (numberOrId.equals("latest")) {
            return latest().orElseThrow(() -> new NotFoundException("dataset '" + ref() + "' has no versions yet"));
        }
        String n = numberOrId.startsWith("v") && numberOrId.length() > 1 && Character.isDigit(numberOrId.charAt(1))
                ? numberOrId.substring(1) : numberOrId;
        if (n.chars().allMatch(Character::isDigit) && !n.isEmpty() && n.length() < 10) {
            return manifest(Integer.parseInt(n)).toVersion(assistant, name);
        }
        try (Stream<Revision> revisions = store.history(key)) {
            return revisions.map(r -> Manifest.fromJson(r.value(), where(r.number())))
                    .filter(m -> m.id().equals(numberOrId))
                    .findFirst()
                    .map(m -> m.toVersion(assistant, name))
                    .orElseThrow(() -> new NotFoundException("dataset '" + ref() + "' has no version '"
                            + Names.printable(numberOrId) + "'; use a number, an id (dv-...) or latest"));
        }
    }

    @Override
    public List<DatasetVersion> history() {
        try (Stream<Revision> revisions = store.history(key)) {
            return revisions.map(r -> Manifest.fromJson(r.value(), where(r.number())).toVersion(assistant, name))
                    .toList();
        }
    }

    @Override
    public Stream<Example> examples(DatasetVersion version) {
        return read(version, null);
    }

    @Override
    public Stream<Example> examples(DatasetVersion version, Split split) {
        return read(version, Objects.requireNonNull(split, "split"));
    }

    @Override
    public long count(DatasetVersion version, Split split) {
        Objects.requireNonNull(split, "split");
        Manifest manifest = manifest(Objects.requireNonNull(version, "version").number());
        IdIndex removedAt = removalPositions(manifest, null);
        long n = 0;
        List<Manifest.Entry> log = manifest.log();
        for (int pos = 0; pos < log.size(); pos++) {
            Manifest.Entry e = log.get(pos);
            if (!e.add()) {
                continue;
            }
            try (DataInputStream idx = openIds(e.index(), "id index", manifest.number())) {
                for (long i = 0; i < e.count(); i++) {
                    long hi = idx.readLong();
                    long lo = idx.readLong();
                    long removal = removedAt.get(hi, lo);
                    if ((removal == IdIndex.NONE || removal < pos) && splitPolicy.splitOf(hex(hi, lo)) == split) {
                        n++;
                    }
                }
            } catch (IOException ex) {
                throw corrupt(e.index(), ex);
            }
        }
        return n;
    }

    private Manifest manifest(int number) {
        return store.read(key, number)
                .map(r -> Manifest.fromJson(r.value(), where(r.number())))
                .orElseThrow(() -> new NotFoundException("dataset '" + ref() + "' has no version " + number));
    }

    private Stream<Example> read(DatasetVersion version, Split split) {
        Objects.requireNonNull(version, "version");
        if (!version.assistant().equals(assistant) || !version.dataset().equals(name)) {
            throw new IllegalArgumentException("version " + version + " belongs to dataset '" + version.datasetRef()
                    + "', not '" + ref() + "'");
        }
        Manifest manifest = manifest(version.number());
        IdIndex removedAt = removalPositions(manifest, null);
        ExampleIterator it = new ExampleIterator(manifest, removedAt, split);
        Spliterator<Example> spliterator = split == null
                ? Spliterators.spliterator(it, manifest.examples(), Spliterator.ORDERED | Spliterator.NONNULL)
                : Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(it::close);
    }

    /** Walks the add entries of a log, yielding the examples not removed later. */
    private final class ExampleIterator implements Iterator<Example> {
        private final Manifest manifest;
        private final IdIndex removedAt;
        private final Split split;
        private final ExampleReader reader = new ExampleReader(DataRules.standard());
        private int pos = -1;
        private long remaining;
        private long lineNo;
        private Manifest.Entry entry;
        private BufferedReader lines;
        private DataInputStream ids;
        private Example next;

        ExampleIterator(Manifest manifest, IdIndex removedAt, Split split) {
            this.manifest = manifest;
            this.removedAt = removedAt;
            this.split = split;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (remaining == 0 && !openNext()) {
                    return false;
                }
                next = advance();
            }
            return true;
        }

        @Override
        public Example next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Example e = next;
            next = null;
            return e;
        }

        private boolean openNext() {
            close();
            List<Manifest.Entry> log = manifest.log();
            while (++pos < log.size()) {
                Manifest.Entry e = log.get(pos);
                if (e.add() && e.count() > 0) {
                    entry = e;
                    remaining = e.count();
                    lineNo = 0;
                    lines = new BufferedReader(new InputStreamReader(open(e.blob(), "segment", manifest.number()),
                            StandardCharsets.UTF_8), 1 << 16);
                    ids = openIds(e.index(), "id index", manifest.number());
                    return true;
                }
            }
            return false;
        }

        private Example advance() {
            try {
                remaining--;
                lineNo++;
                String line = lines.readLine();
                long hi = ids.readLong();
                long lo = ids.readLong();
                if (line == null) {
                    throw new CorruptDataException(entry.blob(), "segment blob " + entry.blob() + " of "
                            + where(manifest.number()) + " ends at line " + lineNo + " but the manifest counts "
                            + entry.count());
                }
                long removal = removedAt.get(hi, lo);
                if (removal != IdIndex.NONE && removal > pos) {
                    return null;
                }
                String hex = hex(hi, lo);
                if (split != null && splitPolicy.splitOf(hex) != split) {
                    return null;
                }
                JsonNode node = Json.mapper().readTree(line);
                List<ValidationIssue> issues = new ArrayList<>(0);
                Example example = reader.read(node, lineNo, issues);
                if (example == null) {
                    throw new CorruptDataException(entry.blob(), "segment blob " + entry.blob() + " line " + lineNo
                            + " of " + where(manifest.number()) + " is corrupt: " + issues);
                }
                return example;
            } catch (EOFException e) {
                throw corrupt(entry.index(), e);
            } catch (IOException e) {
                throw new StoreException("could not read segment blob " + entry.blob() + " of "
                        + where(manifest.number()) + ": " + e.getMessage(), e);
            }
        }

        void close() {
            try {
                if (lines != null) {
                    lines.close();
                }
                if (ids != null) {
                    ids.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                lines = null;
                ids = null;
            }
        }
    }

    private DataInputStream openIds(String blob, String role, long number) {
        return new DataInputStream(new BufferedInputStream(open(blob, role, number), 1 << 16));
    }

    /** Opens a blob a version references; its absence is damage to the version, not a missing name. */
    private InputStream open(String blob, String role, long number) {
        try {
            return store.openBlob(tenant, blob);
        } catch (NotFoundException e) {
            throw new CorruptDataException(blob, "dataset " + where(number) + " is damaged: its " + role + " blob "
                    + blob + " is missing from the store (" + e.getMessage() + "); restore it from a backup "
                    + "(`finetune4j store verify` checks the whole store)", e);
        }
    }

    private BlobRef putBlob(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return store.putBlob(tenant, in);
        }
    }

    private CorruptDataException corrupt(String blob, Exception e) {
        return new CorruptDataException(blob, "id blob " + blob + " of dataset '" + ref()
                + "' holds fewer ids than its version counts, or cannot be read: " + e.getMessage(), e);
    }

    private String where(long number) {
        return "'" + ref() + "' version " + number;
    }

    private static String hex(long hi, long lo) {
        return String.format("%016x%016x", hi, lo);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // left in the store's staging directory, which is swept when its owner has ended
            }
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + ref() + "]";
    }
}
