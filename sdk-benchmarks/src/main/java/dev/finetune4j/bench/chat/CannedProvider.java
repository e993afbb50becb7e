package dev.finetune4j.bench.chat;

import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.TrainingService;
import java.util.Optional;
import java.util.function.Function;

/**
 * A provider that answers every chat call at once, with one fixed result or one made from the call,
 * and passes everything else to a real provider: the router over it costs only the router's own
 * work (no JSON, no HTTP).
 */
final class CannedProvider implements Provider {

    private final Provider real;
    private final ChatService canned;

    CannedProvider(Provider real, ChatResult answer) {
        this(real, call -> answer);
    }

    CannedProvider(Provider real, Function<ChatCall, ChatResult> answers) {
        this.real = real;
        this.canned = new ChatService() {
            @Override
            public ChatResult chat(ChatCall call) {
                return answers.apply(call);
            }

            @Override
            public void chatStream(ChatCall call, ChatStreamListener listener) {
                real.chat().orElseThrow().chatStream(call, listener);
            }
        };
    }

    @Override
    public ProviderDescriptor descriptor() {
        return real.descriptor();
    }

    @Override
    public Optional<TrainingService> training() {
        return real.training();
    }

    @Override
    public Optional<ChatService> chat() {
        return Optional.of(canned);
    }

    @Override
    public void close() {
        // the real provider belongs to the caller
    }
}
