package dev.finetune4j.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An emulator's route table: method and path template to handler, tried in the order added. A
 * template's segments are literals, variables ({@code {id}}), variables with a literal suffix
 * ({@code {repo}.git}) or, last, a variable taking the rest of the path ({@code {path...}});
 * handlers read them with {@link HttpCall#param}. Guards (an authentication check) run on every
 * request below their prefix before matching. A path no template matches gets the provider's
 * not-found error, a known path with another method its method-not-allowed error. Immutable once
 * built; built by one thread.
 */
public final class Routes {

    /** Answers one matched request; throws {@link ApiError} to refuse it. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(HttpCall call);
    }

    private record Route(String method, List<String> template, Handler handler) {

        /** The variables when {@code path} matches, else null. */
        Map<String, String> match(List<String> path) {
            Map<String, String> vars = new LinkedHashMap<>();
            for (int i = 0; i < template.size(); i++) {
                String t = template.get(i);
                if (i >= path.size()) {
                    return null;
                }
                String s = path.get(i);
                int close = t.indexOf('}');
                if (!t.startsWith("{")) {
                    if (!t.equals(s)) {
                        return null;
                    }
                } else if (t.endsWith("...}")) {
                    vars.put(t.substring(1, t.length() - 4), String.join("/", path.subList(i, path.size())));
                    return vars;
                } else if (s.length() > t.length() - close - 1 && s.endsWith(t.substring(close + 1))) {
                    vars.put(t.substring(1, close), s.substring(0, s.length() - (t.length() - close - 1)));
                } else {
                    return null;
                }
            }
            return path.size() == template.size() ? vars : null;
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final Map<String, Consumer<HttpCall>> guards = new LinkedHashMap<>();
    private Function<HttpCall, ApiError> notFound;
    private BiFunction<HttpCall, Set<String>, ApiError> methodNotAllowed;

    /**
     * Runs the guards, then the first route that matches the method and path.
     *
     * @throws ApiError a guard's refusal, or the provider's not-found or method-not-allowed error
     */
    public Reply dispatch(HttpCall call) {
        guards.forEach((prefix, check) -> {
            if (call.path().equals(prefix) || call.path().startsWith(prefix + "/")) {
                check.accept(call);
            }
        });
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> vars = r.match(call.segments());
            if (vars != null && r.method().equals(call.method())) {
                return r.handler().handle(call.withParams(vars));
            } else if (vars != null) {
                allowed.add(r.method());
            }
        }
        throw allowed.isEmpty() || methodNotAllowed == null ? notFound.apply(call)
                : methodNotAllowed.apply(call, allowed);
    }

    /** Adds {@code handler} for {@code method} on {@code template}, e.g. {@code "/v1/files/{id}/content"}. */
    public Routes add(String method, String template, Handler handler) {
        List<String> segments = new ArrayList<>();
        for (String s : template.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        routes.add(new Route(method, segments, Objects.requireNonNull(handler, "handler")));
        return this;
    }

    public Routes get(String template, Handler handler) {
        return add("GET", template, handler);
    }

    public Routes post(String template, Handler handler) {
        return add("POST", template, handler);
    }

    public Routes delete(String template, Handler handler) {
        return add("DELETE", template, handler);
    }

    /** Runs {@code check}, which throws {@link ApiError} to refuse, on every request at or below {@code prefix}. */
    public Routes guard(String prefix, Consumer<HttpCall> check) {
        guards.put(prefix, check);
        return this;
    }

    /** The provider's error for a path no route knows. Required. */
    public Routes notFound(Function<HttpCall, ApiError> error) {
        this.notFound = error;
        return this;
    }

    /** The provider's error for a known path with another method (given the allowed ones); not-found when unset. */
    public Routes methodNotAllowed(BiFunction<HttpCall, Set<String>, ApiError> error) {
        this.methodNotAllowed = error;
        return this;
    }
}
