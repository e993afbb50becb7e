package dev.finetune4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesTest {

    private static HttpCall call(String method, String path, String auth) {
        return new HttpCall(method, path, auth == null ? Map.of() : Map.of("Authorization", List.of(auth)), null);
    }

    private static Reply text(String s) {
        return Reply.status(200).body(s);
    }

    private static String body(Reply r) {
        return new String(r.bodyBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private final Routes routes = new Routes()
            .notFound(c -> new ApiError(Reply.status(404).body("no " + c.path()), "not found"))
            .methodNotAllowed((c, allowed) -> new ApiError(Reply.status(405).body("allowed " + allowed), "405"))
            .guard("/v1", c -> {
                if (c.header("authorization").isEmpty()) {
                    throw new ApiError(Reply.status(401), "no key");
                }
            })
            .get("/v1/files/{id}", c -> text("file " + c.param("id")))
            .delete("/v1/files/{id}", c -> text("deleted " + c.param("id")))
            .get("/v1/files/{id}/content", c -> text("content of " + c.param("id")))
            .post("/{ns}/{repo}.git/info/lfs/objects/batch", c -> text("batch " + c.param("ns") + "/" + c.param("repo")))
            .get("/{ns}/{repo}/resolve/{rev}/{path...}", c -> text(c.param("rev") + ":" + c.param("path")));

    @Test
    void variables_reachTheHandlerDecoded_andTheFirstMatchingMethodWins() {
        assertThat(body(routes.dispatch(call("GET", "/v1/files/file%20a", "k")))).isEqualTo("file file a");
        assertThat(body(routes.dispatch(call("DELETE", "/v1/files/f1/", "k")))).isEqualTo("deleted f1");
        assertThat(body(routes.dispatch(call("GET", "/v1/files/f1/content?x=1", "k")))).isEqualTo("content of f1");
    }

    @Test
    void suffixedAndRestVariables_takeWhatTheirTemplateSays() {
        assertThat(body(routes.dispatch(call("POST", "/acme/data.git/info/lfs/objects/batch", null))))
                .isEqualTo("batch acme/data");
        assertThat(body(routes.dispatch(call("GET", "/acme/m/resolve/main/dir/a.json", null))))
                .isEqualTo("main:dir/a.json");
        assertThatThrownBy(() -> routes.dispatch(call("POST", "/acme/.git/info/lfs/objects/batch", null)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.reply().status()).isEqualTo(404));
    }

    @Test
    void anUnknownPath_isNotFound_aKnownPathWithAnotherMethod_isMethodNotAllowed() {
        assertThatThrownBy(() -> routes.dispatch(call("GET", "/v1/files/f1/other", "k")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(body(e.reply())).isEqualTo("no /v1/files/f1/other"));
        assertThatThrownBy(() -> routes.dispatch(call("PUT", "/v1/files/f1", "k")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(body(e.reply())).isEqualTo("allowed [DELETE, GET]"));
    }

    @Test
    void guards_runBeforeMatching_onlyBelowTheirPrefix() {
        assertThatThrownBy(() -> routes.dispatch(call("GET", "/v1/unknown", null)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.reply().status()).isEqualTo(401));
        assertThatThrownBy(() -> routes.dispatch(call("GET", "/v12/files/f", null)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.reply().status()).isEqualTo(404));
    }
}
