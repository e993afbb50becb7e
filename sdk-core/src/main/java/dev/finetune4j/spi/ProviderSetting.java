package dev.finetune4j.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One setting a provider reads, as its {@link ProviderDescriptor} declares it: the name it has in a
 * {@link ProviderConfig}, its type, the environment variable it falls back to, its default and a
 * one-line description. Tools (the CLI's help, configuration screens) show settings from here;
 * the provider's factory still reads them.
 *
 * <p>Two names are shared by every provider: {@value #API_KEY}, the key, read with {@link
 * ProviderConfig#apiKey()}, and {@value #ENDPOINT}, the base URL, read with {@link
 * ProviderConfig#endpoint()}. Every other setting is read with {@link ProviderConfig#setting(String)}.
 *
 * <p>Immutable and thread-safe. A secret never has a default, and {@link #toString()} shows no value.
 */
public final class ProviderSetting {

    /** The name of the API key setting (read with {@link ProviderConfig#apiKey()}). */
    public static final String API_KEY = "api_key";

    /** The name of the base URL setting (read with {@link ProviderConfig#endpoint()}). */
    public static final String ENDPOINT = "endpoint";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** What kind of value a setting holds. */
    public enum Type {
        /** A key or token: never logged, never shown, never defaulted. */
        SECRET,
        /** An absolute http or https URL. */
        URL,
        /** Free text. */
        TEXT,
        /** A whole number. */
        NUMBER,
        /** {@code true} or {@code false}. */
        BOOLEAN
    }

    private final String name;
    private final Type type;
    private final String environmentVariable;
    private final String defaultValue;
    private final String description;
    private final boolean required;

    private ProviderSetting(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.environmentVariable = b.environmentVariable;
        this.defaultValue = b.defaultValue;
        this.description = b.description;
        this.required = b.required;
    }

    /**
     * A builder for a setting.
     *
     * @param name {@code [a-z][a-z0-9_]*}, at most 64 characters, e.g. {@code organization}
     * @throws IllegalArgumentException for another name
     */
    public static Builder builder(String name, Type type) {
        return new Builder(name, type);
    }

    /**
     * The provider's API key ({@value #API_KEY}): a required secret read from {@code
     * environmentVariable} when the configuration has none.
     */
    public static ProviderSetting apiKey(String environmentVariable, String description) {
        return builder(API_KEY, Type.SECRET).environmentVariable(environmentVariable).description(description)
                .required(true).build();
    }

    /**
     * The provider's base URL ({@value #ENDPOINT}): from the configuration, else {@code
     * environmentVariable}, else {@code defaultUrl}.
     */
    public static ProviderSetting endpoint(String environmentVariable, String defaultUrl, String description) {
        return builder(ENDPOINT, Type.URL).environmentVariable(environmentVariable).defaultValue(defaultUrl)
                .description(description).build();
    }

    /** The name in a {@link ProviderConfig}, e.g. {@code organization}. */
    public String name() {
        return name;
    }

    /** The type of its value. */
    public Type type() {
        return type;
    }

    /** The environment variable read when the configuration does not set it, e.g. {@code OPENAI_ORG_ID}. */
    public Optional<String> environmentVariable() {
        return Optional.ofNullable(environmentVariable);
    }

    /** The value used when neither the configuration nor the environment sets it; never for a secret. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** One line saying what it does, e.g. {@code "sent as the OpenAI-Organization header"}. */
    public String description() {
        return description;
    }

    /** Whether the provider cannot be created without it. */
    public boolean required() {
        return required;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderSetting s && name.equals(s.name) && type == s.type
                && Objects.equals(environmentVariable, s.environmentVariable)
                && Objects.equals(defaultValue, s.defaultValue) && description.equals(s.description)
                && required == s.required;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, environmentVariable, defaultValue, description, required);
    }

    /** E.g. {@code api_key (secret, required, env OPENAI_API_KEY)}; never a value. */
    @Override
    public String toString() {
        return name + " (" + type.name().toLowerCase(Locale.ROOT) + (required ? ", required" : "")
                + (environmentVariable == null ? "" : ", env " + environmentVariable)
                + (defaultValue == null ? "" : ", default " + defaultValue) + ")";
    }

    /** Builds a {@link ProviderSetting}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Type type;
        private String environmentVariable;
        private String defaultValue;
        private String description = "";
        private boolean required;

        private Builder(String name, Type type) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("setting name '" + name + "' must match [a-z][a-z0-9_]*, at most "
                        + "64 characters, e.g. organization");
            }
            this.name = name;
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * The environment variable read when the configuration does not set it.
         *
         * @throws IllegalArgumentException unless it is a portable variable name ({@code [A-Za-z_][A-Za-z0-9_]*})
         */
        public Builder environmentVariable(String name) {
            Objects.requireNonNull(name, "name");
            if (!ENV.matcher(name).matches()) {
                throw new IllegalArgumentException("environment variable '" + name
                        + "' must match [A-Za-z_][A-Za-z0-9_]*, e.g. ACME_API_KEY");
            }
            this.environmentVariable = name;
            return this;
        }

        /** The value used when neither the configuration nor the environment sets it. */
        public Builder defaultValue(String value) {
            this.defaultValue = Objects.requireNonNull(value, "value");
            return this;
        }

        /** One line saying what the setting does. */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Whether the provider cannot be created without it (default false). */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /**
         * Builds the setting.
         *
         * @throws IllegalStateException for a secret with a default, a required setting with a
         *     default, or a default that is not of the setting's type
         */
        public ProviderSetting build() {
            if (defaultValue != null) {
                if (type == Type.SECRET) {
                    throw new IllegalStateException("setting " + name + " is a secret; a secret has no default");
                }
                if (required) {
                    throw new IllegalStateException("setting " + name + " is required; a required setting has no "
                            + "default");
                }
                checkDefault();
            }
            return new ProviderSetting(this);
        }

        private void checkDefault() {
            boolean ok = switch (type) {
                case URL -> isHttpUrl(defaultValue);
                case NUMBER -> defaultValue.matches("-?[0-9]{1,18}");
                case BOOLEAN -> defaultValue.equals("true") || defaultValue.equals("false");
                default -> true;
            };
            if (!ok) {
                throw new IllegalStateException("setting " + name + ": default '" + defaultValue + "' is not a "
                        + type.name().toLowerCase(Locale.ROOT) + (type == Type.URL ? " (an absolute http or https URL)"
                                : type == Type.BOOLEAN ? " (true or false)" : ""));
            }
        }

        private static boolean isHttpUrl(String value) {
            try {
                java.net.URI uri = new java.net.URI(value);
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            } catch (java.net.URISyntaxException e) {
                return false;
            }
        }
    }
}
