package dev.finetune4j.together.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.spi.kit.ProviderErrors;
import dev.finetune4j.spi.kit.ProviderJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Together's price estimate, {@code POST /fine-tunes/estimate-price} (docs.together.ai
 * reference {@code post-fine-tunes-estimate-price}; together-python {@code
 * FineTuning.estimate_price}, {@code FinetunePriceEstimationRequest/Response}).
 *
 * <p><b>Request</b>: the fields of the create body ({@link CreateBody#body}) that the estimate takes,
 * with the values the create sends, so the quote prices exactly the job that is created: {@code
 * training_file}, {@code validation_file}, {@code model}, {@code n_epochs}, {@code n_evals}, {@code
 * training_type} and {@code training_method}. {@code n_epochs} and {@code n_evals} are always sent
 * ({@code 1} and {@code 0} when the create leaves them to Together's defaults, which are those), as
 * together-python sends them.
 *
 * <p><b>Answer</b>: {@code estimated_total_price} in dollars (together-python prints it as it is;
 * a job's {@code total_price} is nano-dollars, unlike it), {@code user_limit} in dollars, {@code
 * allowed_to_proceed}, {@code estimated_train_token_count} and {@code estimated_eval_token_count};
 * {@code estimation_available: false} (on Together's reference page, not in its OpenAPI spec) means
 * Together cannot price the job. Amounts are read exactly from the JSON number's text, never through
 * a {@code double}; unknown fields are ignored, missing token counts and limit are unknown. Stateless.
 */
public final class PriceEstimate {

    /** The path, below the base URL. */
    public static final String PATH = "/fine-tunes/estimate-price";

    /** The create body's fields the estimate takes, in the order they are sent. */
    private static final List<String> FIELDS = List.of("training_file", "validation_file", "model", "n_epochs",
            "n_evals", "training_type", "training_method");

    private static final ObjectReader EXACT = ProviderJson.mapper().reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private PriceEstimate() {}

    /**
     * The estimate's body for a job whose create body is {@code create} (one that starts from a
     * base model: it has {@code model}).
     *
     * @throws IllegalArgumentException when the create body has no {@code model} (a continued job,
     *     which the estimate is not asked for)
     */
    public static ObjectNode body(ObjectNode create) {
        Objects.requireNonNull(create, "create");
        if (!create.hasNonNull("model")) {
            throw new IllegalArgumentException("together: the price estimate is asked for a job from a base model only");
        }
        ObjectNode b = ProviderJson.mapper().createObjectNode();
        for (String f : FIELDS) {
            JsonNode v = create.get(f);
            if (v != null && !v.isNull()) {
                b.set(f, v.deepCopy());
            } else if (f.equals("n_epochs")) {
                b.put(f, 1);
            } else if (f.equals("n_evals")) {
                b.put(f, 0);
            }
        }
        return b;
    }

    /**
     * Reads Together's answer.
     *
     * @param answer the 2xx answer, whole
     * @param call the call, for the exception
     * @param provider the provider id the quote names
     * @param model the base model the job trains from
     * @param now when the answer arrived
     * @return the quote, or empty when Together says {@code estimation_available: false}
     * @throws dev.finetune4j.ProviderException when the body is not a JSON object with a
     *     non-negative {@code estimated_total_price}
     * @throws IOException when the body is not JSON
     */
    public static Optional<PriceQuote> read(HttpResponse<byte[]> answer, ProviderErrors.CallInfo call,
            String provider, String model, Instant now) throws IOException {
        JsonNode n = EXACT.readTree(answer.body());
        if (n == null || !n.isObject()) {
            throw ProviderErrors.unexpectedBody(call, answer.statusCode(), answer.headers(), answer.body(),
                    "the price estimate is not a JSON object");
        }
        if (n.path("estimation_available").isBoolean() && !n.get("estimation_available").booleanValue()) {
            return Optional.empty();
        }
        BigDecimal price = amount(n.get("estimated_total_price"));
        if (price == null || price.signum() < 0) {
            throw ProviderErrors.unexpectedBody(call, answer.statusCode(), answer.headers(), answer.body(),
                    "the price estimate has no estimated_total_price of zero or more");
        }
        BigDecimal limit = amount(n.get("user_limit"));
        return Optional.of(PriceQuote.builder().provider(provider).model(model).price(new Money(price, "USD"))
                .trainingTokens(tokens(n.get("estimated_train_token_count")))
                .evaluationTokens(tokens(n.get("estimated_eval_token_count")))
                .creditLimit(limit == null ? null : new Money(limit, "USD"))
                .allowedToProceed(!n.path("allowed_to_proceed").isBoolean() || n.get("allowed_to_proceed").booleanValue())
                .quotedAt(now).build());
    }

    /** A JSON number's exact value, or null when it is absent or not a number. */
    private static BigDecimal amount(JsonNode v) {
        return v != null && v.isNumber() ? v.decimalValue() : null;
    }

    /** A token count (Together types it as a number): whole, rounded half up; null when absent, not a number or negative. */
    private static Long tokens(JsonNode v) {
        BigDecimal d = amount(v);
        if (d == null || d.signum() < 0) {
            return null;
        }
        try {
            return d.setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
