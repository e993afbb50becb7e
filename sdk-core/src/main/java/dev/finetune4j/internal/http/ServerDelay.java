package dev.finetune4j.internal.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wait a server asks for before the next call, read from its headers in this order: {@code
 * retry-after-ms}, then Azure's {@code x-ms-retry-after-ms} (milliseconds, fractional allowed; the
 * order Azure's own SDKs read them in), {@code Retry-After} (seconds, fractional
 * allowed, or an HTTP date), and, on a 429, Hugging Face's {@code ratelimit} header ({@code
 * "api";r=0;t=55}: nothing left, reset in 55 s; the wait is {@code t} + 1 s, as huggingface_hub
 * does, because {@code t} is rounded down).
 *
 * <p>The result may be zero or negative (a date in the past); deciding what to do with it is the
 * retry policy's business.
 */
public final class ServerDelay {

    private static final Pattern REMAINING = Pattern.compile("(?:^|;)\\s*r\\s*=\\s*(\\d{1,9})");
    private static final Pattern RESET = Pattern.compile("(?:^|;)\\s*t\\s*=\\s*(\\d{1,9})");

    private ServerDelay() {}

    public static Optional<Duration> of(int status, HttpHeaders headers, Instant now) {
        Optional<Duration> ms = headers.firstValue("retry-after-ms").flatMap(v -> number(v, 1_000_000L))
                .or(() -> headers.firstValue("x-ms-retry-after-ms").flatMap(v -> number(v, 1_000_000L)));
        if (ms.isPresent()) {
            return ms;
        }
        Optional<String> retryAfter = headers.firstValue("retry-after").map(String::strip);
        if (retryAfter.isPresent()) {
            Optional<Duration> seconds = number(retryAfter.get(), 1_000_000_000L);
            if (seconds.isPresent()) {
                return seconds;
            }
            Optional<Duration> date = httpDate(retryAfter.get(), now);
            if (date.isPresent()) {
                return date;
            }
        }
        if (status == 429) {
            return headers.firstValue("ratelimit").flatMap(ServerDelay::rateLimitReset);
        }
        return Optional.empty();
    }

    private static Optional<Duration> number(String value, long nanosPerUnit) {
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) * nanosPerUnit > Long.MAX_VALUE / 2.0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos(Math.round(d * nanosPerUnit)));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> httpDate(String value, Instant now) {
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(Duration.between(now, at));
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> rateLimitReset(String value) {
        Matcher r = REMAINING.matcher(value);
        Matcher t = RESET.matcher(value);
        if (r.find() && t.find() && Long.parseLong(r.group(1)) == 0) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(t.group(1)) + 1));
        }
        return Optional.empty();
    }
}
