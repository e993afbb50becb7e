package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import java.io.IOException;

/**
 * An encoder that first decides, without writing, whether and how an example fits the format
 * (its plan), and only then writes it. This split is what guarantees that a skipped example
 * leaves no bytes behind.
 *
 * @param <P> what {@link #plan} learns about an example and {@link #write} needs
 */
abstract class PlanningEncoder<P> implements FormatEncoder {

    @Override
    public final boolean encode(Example example, JsonGenerator g, LossCollector losses) throws IOException {
        P plan = plan(example, losses);
        if (losses.skipped() != null) {
            return false;
        }
        if (plan == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " made no plan and recorded no skip");
        }
        write(plan, g);
        return true;
    }

    /**
     * Checks an example against the format and records its losses.
     *
     * @return what {@link #write} needs, or {@code null} after recording a skip
     */
    abstract P plan(Example example, LossCollector losses);

    /** Writes one JSON object for a planned example. */
    abstract void write(P plan, JsonGenerator g) throws IOException;
}
