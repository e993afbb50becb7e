package dev.finetune4j.testkit.spi;

import dev.finetune4j.testkit.EmulatorHost;
import dev.finetune4j.testkit.JobProgression;
import java.util.Objects;
import java.util.Optional;

/**
 * How a tool wants an emulator started: on a shared host below a path, or on its own port; how
 * its jobs move; whether it keeps the requests it receives; the account name it writes where the
 * provider's ids carry one. Immutable.
 */
public final class EmulatorOptions {

    private final EmulatorHost host;
    private final String prefix;
    private final int port;
    private final JobProgression progression;
    private final boolean recordRequests;
    private final String accountName;

    private EmulatorOptions(Builder b) {
        this.host = b.host;
        this.prefix = b.prefix;
        this.port = b.port;
        this.progression = b.progression;
        this.recordRequests = b.recordRequests;
        this.accountName = b.accountName;
    }

    /** Options for an emulator on a free port of its own, jobs moving one status per poll, requests kept. */
    public static Builder builder() {
        return new Builder();
    }

    /** The shared host, when the emulator runs on one. */
    public Optional<EmulatorHost> host() {
        return Optional.ofNullable(host);
    }

    /** The path below which it runs on the host ({@code /openai}); {@code ""} on its own port. */
    public String prefix() {
        return prefix;
    }

    /** Its own port (0 = a free one) when there is no host. */
    public int port() {
        return port;
    }

    public JobProgression progression() {
        return progression;
    }

    /** Whether requests are kept for assertions (off for long runs: memory stays flat). */
    public boolean recordRequests() {
        return recordRequests;
    }

    /** The account (organization) name to write into ids where the provider's ids carry one. */
    public Optional<String> accountName() {
        return Optional.ofNullable(accountName);
    }

    /** Collects the options. Not thread-safe. */
    public static final class Builder {

        private EmulatorHost host;
        private String prefix = "";
        private int port;
        private JobProgression progression = JobProgression.onPoll();
        private boolean recordRequests = true;
        private String accountName;

        private Builder() {}

        /**
         * Runs the emulator on {@code host} below {@code prefix} ({@code "/openai"}: starts with
         * {@code /}, does not end with it).
         *
         * @throws IllegalArgumentException when the prefix is malformed
         */
        public Builder host(EmulatorHost host, String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.startsWith("/") || prefix.endsWith("/")) {
                throw new IllegalArgumentException("prefix must start with '/' and not end with it, was '" + prefix + "'");
            }
            this.host = Objects.requireNonNull(host, "host");
            this.prefix = prefix;
            return this;
        }

        /**
         * Runs the emulator on its own loopback port (0, the default, picks a free one).
         *
         * @throws IllegalArgumentException when the port is not 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** How jobs move; {@link JobProgression#onPoll()} by default. */
        public Builder progression(JobProgression progression) {
            this.progression = Objects.requireNonNull(progression, "progression");
            return this;
        }

        /** Whether requests are kept; true by default. */
        public Builder recordRequests(boolean record) {
            this.recordRequests = record;
            return this;
        }

        /** The account name to write where the provider's ids carry one; the emulator's default otherwise. */
        public Builder accountName(String accountName) {
            this.accountName = Objects.requireNonNull(accountName, "accountName");
            return this;
        }

        public EmulatorOptions build() {
            return new EmulatorOptions(this);
        }
    }
}
