package dev.finetune4j.huggingface.internal;

import dev.finetune4j.spi.ProviderConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a Hugging Face token is found when none is passed in code, in the order of the official
 * client's {@code get_token()} (huggingface_hub {@code utils/_auth.py}, {@code constants.py}):
 * the environment variable {@code HF_TOKEN}, then {@code HUGGING_FACE_HUB_TOKEN} (its older name),
 * then the token file {@code hf auth login} writes: {@code $HF_TOKEN_PATH}, else
 * {@code $HF_HOME/token}, else {@code $XDG_CACHE_HOME/huggingface/token}, else
 * {@code ~/.cache/huggingface/token}. A value is cleaned as the client does (line breaks removed,
 * blanks stripped); an empty one counts as absent. Not done: refreshing an expired OAuth token of a
 * browser login (the client does; here the Hub answers 401 and the message says to log in again).
 */
public final class HubToken {

    /** The environment variable read first. */
    public static final String TOKEN_ENV = "HF_TOKEN";

    /** The older environment variable, read when {@link #TOKEN_ENV} is not set. */
    public static final String LEGACY_TOKEN_ENV = "HUGGING_FACE_HUB_TOKEN";

    /** A token and where it was found, for messages (never the token itself). */
    public record Found(String value, String source) {}

    private HubToken() {}

    /**
     * The token from the environment or the token file, or empty when there is none.
     *
     * @throws IllegalStateException when the token file exists but cannot be read (naming the file)
     */
    public static Optional<Found> find(ProviderConfig config) {
        for (String name : new String[] {TOKEN_ENV, LEGACY_TOKEN_ENV}) {
            Optional<String> value = config.env(name).flatMap(HubToken::clean);
            if (value.isPresent()) {
                return Optional.of(new Found(value.get(), "environment variable " + name));
            }
        }
        Path file = file(config);
        try {
            return clean(Files.readString(file, StandardCharsets.UTF_8)).map(v -> new Found(v, "token file " + file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("could not read the Hugging Face token file " + file + ": " + e, e);
        }
    }

    /** The token file the official client reads and {@code hf auth login} writes. */
    public static Path file(ProviderConfig config) {
        Optional<String> explicit = config.env("HF_TOKEN_PATH").filter(v -> !v.isBlank());
        if (explicit.isPresent()) {
            return expandHome(explicit.get(), config);
        }
        Path hfHome = config.env("HF_HOME").filter(v -> !v.isBlank()).map(v -> expandHome(v, config))
                .orElseGet(() -> config.env("XDG_CACHE_HOME").filter(v -> !v.isBlank())
                        .map(v -> expandHome(v, config)).orElseGet(() -> home(config).resolve(".cache"))
                        .resolve("huggingface"));
        return hfHome.resolve("token");
    }

    private static Path expandHome(String path, ProviderConfig config) {
        if (path.equals("~") || path.startsWith("~/")) {
            return home(config).resolve(path.substring(Math.min(2, path.length())));
        }
        return Path.of(path);
    }

    private static Path home(ProviderConfig config) {
        return Path.of(config.env("HOME").filter(v -> !v.isBlank()).orElse(System.getProperty("user.home")));
    }

    private static Optional<String> clean(String raw) {
        String v = raw.replace("\r", "").replace("\n", "").strip();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
}
