package dev.finetune4j.capture;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an assistant's routed calls are captured: the share sampled, the host application's
 * {@link Redactor}, the largest record kept, and how long captures are kept. Immutable; build with
 * {@link #builder()}.
 */
public final class CapturePolicy {

    /** The default largest stored capture, in bytes of its JSON record: 256 KiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;
    /** The largest {@link Builder#maxRecordBytes(int)} accepted: 4 MiB. */
    public static final int MAX_RECORD_BYTES_LIMIT = 4 * 1024 * 1024;

    private final double sampling;
    private final Redactor redactor;
    private final int maxRecordBytes;
    private final Duration retention;

    private CapturePolicy(Builder b) {
        this.sampling = b.sampling;
        this.redactor = b.redactor;
        this.maxRecordBytes = b.maxRecordBytes;
        this.retention = b.retention;
    }

    /** A builder: every call sampled, no redaction, records up to {@value #DEFAULT_MAX_RECORD_BYTES} bytes. */
    public static Builder builder() {
        return new Builder();
    }

    /** The share of calls captured, 0 to 1. */
    public double sampling() {
        return sampling;
    }

    /** The hook applied to every stored text. */
    public Redactor redactor() {
        return redactor;
    }

    /** The largest capture record kept, in bytes of JSON after redaction; larger ones are counted and skipped. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * How long captures are kept; absent when they are kept until deleted ({@link Captures#prune}) or
     * the tenant is purged.
     */
    public Optional<Duration> retention() {
        return Optional.ofNullable(retention);
    }

    @Override
    public String toString() {
        return "CapturePolicy[sampling=" + sampling + ", maxRecordBytes=" + maxRecordBytes
                + (redactor == Redactor.NONE ? ", no redaction" : ", redacted")
                + (retention == null ? "" : ", retention=" + retention) + "]";
    }

    /** Builds {@link CapturePolicy}. Not thread-safe. */
    public static final class Builder {
        private double sampling = 1.0;
        private Redactor redactor = Redactor.NONE;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private Duration retention;

        private Builder() {}

        /**
         * The share of calls captured: 1 captures every call, 0.01 one in a hundred (chosen at random).
         *
         * @throws IllegalArgumentException unless 0 &lt; share &le; 1
         */
        public Builder sampling(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("sampling must be > 0 and <= 1 (1 = every call), was " + share);
            }
            this.sampling = share;
            return this;
        }

        /** The redaction hook applied before anything is written; default {@link Redactor#NONE}. */
        public Builder redactor(Redactor redactor) {
            this.redactor = Objects.requireNonNull(redactor, "redactor");
            return this;
        }

        /**
         * The largest capture record kept, in bytes of its JSON after redaction.
         *
         * @throws IllegalArgumentException unless 1024 &le; bytes &le; {@value #MAX_RECORD_BYTES_LIMIT}
         */
        public Builder maxRecordBytes(int bytes) {
            if (bytes < 1024 || bytes > MAX_RECORD_BYTES_LIMIT) {
                throw new IllegalArgumentException("maxRecordBytes must be 1024 to " + MAX_RECORD_BYTES_LIMIT
                        + ", was " + bytes);
            }
            this.maxRecordBytes = bytes;
            return this;
        }

        /**
         * Keeps captures for this long, then deletes them with the feedback on them. Deletion takes
         * whole segments (a segment goes once its newest capture is older than the period), so a
         * capture may outlive the period by as long as its segment took to fill (at most a second
         * of traffic). Retention runs on the capture writer thread at most once an hour while
         * captures are being written, and whenever {@link Captures#applyRetention()} is called.
         * Default: kept until deleted.
         *
         * @throws IllegalArgumentException unless the period is at least one hour
         */
        public Builder retention(Duration period) {
            Objects.requireNonNull(period, "period");
            if (period.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("retention must be at least 1 hour, was " + period);
            }
            this.retention = period;
            return this;
        }

        /** The policy. */
        public CapturePolicy build() {
            return new CapturePolicy(this);
        }
    }
}
