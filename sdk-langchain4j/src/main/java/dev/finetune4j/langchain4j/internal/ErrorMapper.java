package dev.finetune4j.langchain4j.internal;

import dev.finetune4j.AuthenticationException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.TransportException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import java.net.http.HttpTimeoutException;

/**
 * Maps the router's exceptions to LangChain4j's, by the HTTP status as LangChain4j's own
 * mapping does; the router's exception stays the cause, with the provider, status, error code,
 * request id and raw body. Anything that is not a {@link FineTuneException} passes unchanged.
 */
public final class ErrorMapper {

    private ErrorMapper() {}

    /** LangChain4j's exception for {@code e}. */
    public static RuntimeException toLangChain4j(RuntimeException e) {
        if (e instanceof ProviderException p) {
            return byStatus(p);
        }
        if (e instanceof TransportException t) {
            return timedOut(t) ? new TimeoutException(t.getMessage(), t) : new RetriableException(t.getMessage(), t);
        }
        if (e instanceof NotFoundException) {
            // an unknown assistant or pinned version, or a provider's 404 (the model is gone)
            return new ModelNotFoundException(e.getMessage(), e);
        }
        if (e instanceof FineTuneException) {
            return new LangChain4jException(e.getMessage(), e);
        }
        return e;
    }

    private static RuntimeException byStatus(ProviderException p) {
        int status = p.statusCode();
        String message = p.getMessage();
        if (p instanceof AuthenticationException || status == 401 || status == 403) {
            return new dev.langchain4j.exception.AuthenticationException(message, p);
        }
        if (status == 404) {
            return new ModelNotFoundException(message, p);
        }
        if (status == 408) {
            return new TimeoutException(message, p);
        }
        if (status == 429) {
            return new RateLimitException(message, p);
        }
        if (status >= 500 && status < 600) {
            return new InternalServerException(message, p);
        }
        if (status >= 400 && status < 500) {
            return p.errorCode().filter("content_filter"::equals).isPresent()
                    ? new ContentFilteredException(message, p)
                    : new InvalidRequestException(message, p);
        }
        return new LangChain4jException(message, p);
    }

    private static boolean timedOut(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof HttpTimeoutException || c instanceof java.net.SocketTimeoutException
                    || c instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
