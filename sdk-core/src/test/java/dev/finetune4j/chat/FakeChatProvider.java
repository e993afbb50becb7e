package dev.finetune4j.chat;

import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.ServerException;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.testing.StubProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A provider whose chat answers "answer from MODEL"; models can be made gone (404) or failing (500). */
final class FakeChatProvider extends StubProvider {

    FakeChatProvider() {
        super("openai");
    }

    final List<ChatCall> calls = new CopyOnWriteArrayList<>();
    final Set<String> gone = ConcurrentHashMap.newKeySet();
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    final Set<String> invalid = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> failAfterDeltas = new ConcurrentHashMap<>();

    long callsTo(String model) {
        return calls.stream().filter(c -> c.model().equals(model)).count();
    }

    private void check(ChatCall call) {
        calls.add(call);
        if (gone.contains(call.model())) {
            throw new NotFoundException("openai returned 404 model_not_found",
                    ProviderError.builder("openai", 404)
                            .errorCode("model_not_found").requestId("req_1").rawBody("{}").build());
        }
        if (invalid.contains(call.model())) {
            throw new dev.finetune4j.InvalidRequestException("mistral returned 400 1500 for POST /v1/chat/completions: "
                    + "Invalid model: " + call.model(), "mistral", 400, "1500", "req_4", "{}", false);
        }
        if (failing.contains(call.model())) {
            throw new ServerException("openai returned 500", "openai", 500, null, "req_2", "{}", true);
        }
    }

    @Override
    public ChatResult chat(ChatCall call) {
        check(call);
        return new ChatResult("answer from " + call.model(), List.of(), "stop", new Usage(1000, 500), call.model(),
                "req");
    }

    @Override
    public void chatStream(ChatCall call, ChatStreamListener listener) {
        check(call);
        String[] pieces = {"answer ", "from ", call.model()};
        int failAt = failAfterDeltas.getOrDefault(call.model(), -1);
        for (int i = 0; i < pieces.length; i++) {
            if (i == failAt) {
                throw new ServerException("stream broke", "openai", 500, null, "req_3", "{}", true);
            }
            listener.onText(pieces[i]);
        }
        listener.onComplete(new ChatResult(String.join("", pieces), List.of(), "stop", new Usage(1000, 500),
                call.model(), "req"));
    }

    @Override
    public void deleteModel(String providerModelId) {
        gone.add(providerModelId);
    }
}
