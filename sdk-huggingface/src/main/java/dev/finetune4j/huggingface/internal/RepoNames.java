package dev.finetune4j.huggingface.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names on the Hub: repository names made from assistant names, job label values, the {@code
 * repo@commit:path} references an upload hands out, and the adapter repositories this library
 * creates ({@code {namespace}/{assistant}-ftj-…}).
 */
public final class RepoNames {

    /** The longest repository name the Hub accepts (without the namespace). */
    public static final int MAX_REPO_NAME = 96;

    /** The longest job label key or value the Jobs API accepts. */
    public static final int MAX_LABEL = 100;

    /** An adapter repository trained by this library: ends in {@code -ftj-} and a 12-character job id. */
    private static final Pattern OUR_ADAPTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+-ftj-[0-9a-z]{12}");
    private static final Pattern REF = Pattern.compile("([^@:]+/[^@:]+)@([0-9A-Za-z._-]+):(.+)");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");

    private RepoNames() {}

    /**
     * A repository name made of {@code base} and {@code suffix}: characters outside {@code
     * [A-Za-z0-9._-]} become {@code -}, runs of {@code -} and {@code .} are collapsed (the Hub
     * refuses {@code --} and {@code ..}), no leading or trailing {@code -} or {@code .}, and the
     * base is cut so the whole fits in {@value #MAX_REPO_NAME} characters.
     */
    public static String repoName(String base, String suffix) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(suffix, "suffix");
        String b = clean(base);
        String s = clean(suffix);
        int room = MAX_REPO_NAME - s.length() - (s.isEmpty() ? 0 : 1);
        if (b.length() > room) {
            b = trimEdges(b.substring(0, Math.max(0, room)));
        }
        if (b.isEmpty()) {
            b = "finetune4j";
        }
        return s.isEmpty() ? b : b + "-" + s;
    }

    /** A label value: {@code [A-Za-z0-9._-]}, at most {@value #MAX_LABEL} characters, never empty. */
    public static String labelValue(String value) {
        String v = Objects.requireNonNull(value, "value").replaceAll("[^A-Za-z0-9._-]", "-");
        if (v.length() > MAX_LABEL) {
            v = v.substring(0, MAX_LABEL);
        }
        return v.isEmpty() ? "-" : v;
    }

    /**
     * Checks a namespace (a user or organisation name).
     *
     * @throws IllegalArgumentException naming {@code source} when it is not a Hub name
     */
    public static String requireNamespace(String namespace, String source) {
        Objects.requireNonNull(namespace, "namespace");
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException(source + " '" + namespace + "' is not a Hugging Face user or "
                    + "organisation name (letters, digits, '.', '_', '-')");
        }
        return namespace;
    }

    /** Whether {@code name} is a valid user or organisation name. */
    public static boolean isNamespace(String name) {
        return name != null && NAMESPACE.matcher(name).matches();
    }

    /** Whether a model id names an adapter repository this library trained ({@code ns/…-ftj-xxxxxxxxxxxx}). */
    public static boolean isOurAdapter(String modelId) {
        return modelId != null && OUR_ADAPTER.matcher(modelId).matches();
    }

    /** {@code repo@commit:path}. */
    public static String ref(String repo, String commit, String path) {
        return repo + "@" + commit + ":" + path;
    }

    /**
     * A parsed {@code repo@commit:path} reference.
     *
     * @param repo the dataset repository id
     * @param revision the commit
     * @param path the file in the repository
     */
    public record Ref(String repo, String revision, String path) {}

    /**
     * Parses a reference made by {@link #ref}.
     *
     * @throws IllegalArgumentException when it is not {@code namespace/name@commit:path}
     */
    public static Ref parseRef(String ref) {
        Matcher m = REF.matcher(Objects.requireNonNull(ref, "ref"));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + ref + "' is not a Hugging Face dataset reference "
                    + "(namespace/name@commit:path); was the data uploaded by another provider?");
        }
        return new Ref(m.group(1), m.group(2), m.group(3));
    }

    /**
     * The assistant name inside the label the core gives training data: {@code
     * {assistant}-{assistant}-{dataset}-v{n}} (the dataset reference starts with the assistant),
     * else the label without its {@code -v{n}} ending.
     */
    public static String assistantFromLabel(String label) {
        Objects.requireNonNull(label, "label");
        for (int i = label.indexOf('-'); i > 0; i = label.indexOf('-', i + 1)) {
            String prefix = label.substring(0, i);
            if (label.startsWith(prefix + "-" + prefix + "-")) {
                return prefix;
            }
        }
        return label.replaceFirst("-v\\d+$", "");
    }

    /** The namespace part of {@code namespace/name}, if it has one. */
    public static Optional<String> namespaceOf(String repoId) {
        int slash = repoId.indexOf('/');
        return slash > 0 ? Optional.of(repoId.substring(0, slash)) : Optional.empty();
    }

    /** The name part of {@code namespace/name} (the whole id when it has no namespace). */
    public static String nameOf(String repoId) {
        int slash = repoId.indexOf('/');
        return slash >= 0 ? repoId.substring(slash + 1) : repoId;
    }

    private static String clean(String s) {
        String v = s.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("[-.]{2,}", "-");
        return trimEdges(v);
    }

    private static String trimEdges(String s) {
        String v = s;
        while (!v.isEmpty() && (v.charAt(0) == '-' || v.charAt(0) == '.')) {
            v = v.substring(1);
        }
        while (!v.isEmpty() && (v.endsWith("-") || v.endsWith("."))) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }
}
