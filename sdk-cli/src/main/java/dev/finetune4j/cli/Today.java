package dev.finetune4j.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * "Today" for one CLI run: the real date, or the date named by the hidden {@code --today YYYY-MM-DD}
 * option or the {@value #ENV} environment variable (the option wins). The clock it makes keeps
 * running from that date's current time of day, so waits and timeouts behave; every record, lifecycle
 * answer and job cutoff of the run sees that date. Used to rehearse what happens after a provider's
 * dates pass (e.g. {@code FINETUNE4J_TODAY=2027-01-07 finetune4j doctor}) and by tests, so that they
 * pass on any real date.
 */
final class Today {

    /** The environment variable naming today's date, {@code YYYY-MM-DD}. */
    static final String ENV = "FINETUNE4J_TODAY";

    private Today() {}

    /**
     * The clock for a run.
     *
     * @param option the {@code --today} value, or null
     * @param env the environment
     * @param system the real clock
     * @throws InputException when the date is not {@code YYYY-MM-DD}
     */
    static Clock clock(String option, Map<String, String> env, Clock system) {
        String value = option != null ? option : env.get(ENV);
        String from = option != null ? "--today" : ENV;
        if (value == null || value.isBlank()) {
            return system;
        }
        LocalDate today;
        try {
            today = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InputException(from + " is '" + value + "'; expected a date YYYY-MM-DD, e.g. 2027-01-07");
        }
        LocalDate real = LocalDate.ofInstant(system.instant(), ZoneOffset.UTC);
        return Clock.offset(system.withZone(ZoneOffset.UTC), Duration.ofDays(real.until(today,
                java.time.temporal.ChronoUnit.DAYS)));
    }
}
