package dev.finetune4j.springai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.RetryOptions;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.store.VersionStores;
import java.net.URI;

/**
 * An assistant {@code ava} on the real OpenAI provider, pointed at a WireMock stub: base model
 * {@value #BASE}, version 1 ({@value #V1}) active, version 2 ({@value #V2}) registered. No retries,
 * so a scripted error reaches the caller at once.
 */
final class RoutedStub implements AutoCloseable {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String V1 = "ft:gpt-4o-mini-2024-07-18:acme:ava:v1AAAAAA";
    static final String V2 = "ft:gpt-4o-mini-2024-07-18:acme:ava:v2BBBBBB";

    final Provider provider;
    final FineTuning ft;
    final Assistant ava;
    final ChatRouter router;

    RoutedStub(WireMockExtension wm, ChatRouter.Options options) {
        provider = Providers.create("openai", ProviderConfig.builder()
                .endpoint(URI.create(wm.baseUrl() + "/v1"))
                .apiKey(ApiKey.of("sk-test-0123456789abcdefghij"))
                .retry(RetryOptions.none())
                .build());
        ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider).build();
        ava = ft.createAssistant("ava", "openai", BASE);
        int v1 = ava.importModel("openai", V1, BASE, "first").number();
        ava.importModel("openai", V2, BASE, "second");
        ava.activate(v1, Change.by("test", "v1 live"));
        router = ft.chatRouter(options);
    }

    /** A chat completion answering with {@code message} (a JSON object) for {@code model}. */
    static String completion(String model, String message, String finish) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1721764800,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":" + message + ",\"logprobs\":null,\"finish_reason\":\""
                + finish + "\"}],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":5,\"total_tokens\":26}}";
    }

    /** A streamed chunk with {@code delta} (a JSON object). */
    static String chunk(String model, String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1721764800,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}],\"usage\":null}\n\n";
    }

    /** The usage chunk that ends a stream asked for with {@code include_usage}, then {@code [DONE]}. */
    static String usageAndDone(int prompt, int completion) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
                + "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (prompt + completion) + "}}\n\ndata: [DONE]\n\n";
    }

    static MappingBuilder chatPost() {
        return post("/v1/chat/completions");
    }

    static MappingBuilder answers(MappingBuilder request, String model, String message, String finish) {
        return request.willReturn(okJson(completion(model, message, finish)));
    }

    static MappingBuilder streams(MappingBuilder request, String body) {
        return request.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(body));
    }

    @Override
    public void close() {
        router.close();
        ft.close();
        provider.close();
    }
}
