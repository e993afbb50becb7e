package dev.finetune4j.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it is printed: the password of any {@code user:password@}
 * (with or without a scheme before it, as a driver may echo {@code u:SECRET@host} as a host name),
 * the value of a parameter whose name ends in {@code password}, {@code pwd}, {@code secret},
 * {@code token} or {@code api_key} ({@code password=}, {@code sslpassword=}, {@code access_token=}),
 * and every literal secret it was told about. Thread-safe.
 */
final class Redactor {

    /** What a credential is replaced with. */
    static final String MASK = "***";

    /** {@code user:password@}: the password runs to the last {@code @} before a space or a slash. */
    private static final Pattern USER_INFO = Pattern.compile("([^\\s:/@'\"<>()\\[\\]{},;=]+):([^\\s/'\"<>]*)@");
    private static final Pattern PARAMETER = Pattern.compile(
            "(?i)([\\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key)\\s*=\\s*)([^&\\s;,'\"]*)");

    /** Secrets shorter than this are not searched for as text: they would mask ordinary words. */
    private static final int SHORTEST_LITERAL = 4;

    private final List<Pattern> literals = new CopyOnWriteArrayList<>();

    /**
     * Also masks {@code secret} wherever it stands as a whole word (ignored when null or shorter than
     * four characters): a password that is also a word, {@code postgres}, leaves {@code postgresql}
     * readable.
     */
    void secret(String secret) {
        if (secret != null && secret.length() >= SHORTEST_LITERAL) {
            Pattern p = Pattern.compile("(?<![\\p{Alnum}])" + Pattern.quote(secret) + "(?![\\p{Alnum}])");
            if (literals.stream().noneMatch(l -> l.pattern().equals(p.pattern()))) {
                literals.add(p);
            }
        }
    }

    /**
     * Also masks the password a JDBC or other URL carries, as {@code user:password@} or as a
     * {@code password} parameter, as written and URL-decoded (a driver may print either).
     */
    void secretsOf(String url) {
        if (url == null) {
            return;
        }
        Matcher userInfo = USER_INFO.matcher(url);
        if (userInfo.find()) {
            secretWithDecoded(userInfo.group(2));
        }
        Matcher parameter = PARAMETER.matcher(url);
        while (parameter.find()) {
            secretWithDecoded(parameter.group(2));
        }
    }

    private void secretWithDecoded(String secret) {
        secret(secret);
        try {
            secret(URLDecoder.decode(secret, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not URL-encoded: the literal form is masked already
        }
    }

    /** {@code text} with the credentials its shape shows ({@code user:password@}, {@code password=}) masked. */
    static String withoutCredentials(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        return PARAMETER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /** {@code text} with every credential masked, by shape and every literal secret; null stays null. */
    String redact(String text) {
        String out = withoutCredentials(text);
        if (out == null) {
            return null;
        }
        for (Pattern literal : literals) {
            out = literal.matcher(out).replaceAll(MASK);
        }
        return out;
    }
}
