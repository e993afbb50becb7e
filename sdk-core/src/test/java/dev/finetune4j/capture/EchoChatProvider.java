package dev.finetune4j.capture;

import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.testing.StubProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A chat provider that answers "MODEL says: LAST USER TEXT" and, when the last user text starts
 * with "call ", a tool call whose arguments repeat that text.
 */
final class EchoChatProvider extends StubProvider {

    final List<ChatCall> calls = new CopyOnWriteArrayList<>();

    EchoChatProvider() {
        super("openai");
    }

    private static String lastUser(ChatCall call) {
        List<Message> ms = call.messages();
        return ms.get(ms.size() - 1).content().orElse("");
    }

    @Override
    public ChatResult chat(ChatCall call) {
        calls.add(call);
        String text = lastUser(call);
        List<ToolCall> tools = text.startsWith("call ")
                ? List.of(new ToolCall("call_1", "lookup", "{\"q\":\"" + text + "\"}")) : List.of();
        return new ChatResult(call.model() + " says: " + text, tools, "stop", new Usage(10, 5), call.model(), "req");
    }

    @Override
    public void chatStream(ChatCall call, ChatStreamListener listener) {
        ChatResult r = chat(call);
        listener.onText(r.content());
        listener.onComplete(r);
    }
}
