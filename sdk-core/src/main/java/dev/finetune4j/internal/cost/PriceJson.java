package dev.finetune4j.internal.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.Price;
import dev.finetune4j.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the price file format: {@code {"prices": [{provider, model, currency,
 * training_per_million, input_per_million, output_per_million, base_input_per_million,
 * base_output_per_million, minimum_job_fee?, effective_date, source}, ...]}}. Amounts are JSON
 * numbers or decimal strings, read exactly; other top-level fields (comments) are ignored.
 */
public final class PriceJson {

    private PriceJson() {}

    /**
     * Reads every price of a price file.
     *
     * @param in the JSON document; not closed
     * @param where names the document in error messages
     * @throws IllegalArgumentException naming the entry and field that is wrong
     * @throws UncheckedIOException if reading fails
     */
    public static List<Price> read(InputStream in, String where) {
        JsonNode root;
        try {
            root = Json.mapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where, e);
        }
        JsonNode list = root == null ? null : root.get("prices");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(where + " needs a top-level \"prices\" array");
        }
        List<Price> prices = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            prices.add(price(list.get(i), where + " prices[" + i + "]"));
        }
        return prices;
    }

    private static Price price(JsonNode n, String at) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(at + " must be an object");
        }
        String currency = text(n, "currency", at);
        try {
            Money.zero(currency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
        Price.Builder b = Price.builder(text(n, "provider", at), text(n, "model", at))
                .training(money(n, "training_per_million", currency, at))
                .fineTunedInference(money(n, "input_per_million", currency, at),
                        money(n, "output_per_million", currency, at))
                .baseInference(money(n, "base_input_per_million", currency, at),
                        money(n, "base_output_per_million", currency, at));
        String date = text(n, "effective_date", at);
        try {
            b.effectiveDate(LocalDate.parse(date));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(at + ": \"effective_date\" must be YYYY-MM-DD, was '" + date + "'", e);
        }
        b.source(text(n, "source", at));
        if (n.hasNonNull("minimum_job_fee")) {
            b.minimumJobFee(money(n, "minimum_job_fee", currency, at));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(at + ": \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static Money money(JsonNode n, String field, String currency, String at) {
        JsonNode v = n.get(field);
        BigDecimal amount;
        if (v != null && v.isNumber()) {
            amount = v.decimalValue();
        } else if (v != null && v.isTextual()) {
            try {
                amount = new BigDecimal(v.asText());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(at + ": \"" + field + "\" must be a decimal number, was '"
                        + v.asText() + "'", e);
            }
        } else {
            throw new IllegalArgumentException(at + ": \"" + field + "\" must be a number");
        }
        return new Money(amount, currency);
    }
}
