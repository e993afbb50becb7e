package dev.finetune4j.spi;

/**
 * Chat completions, plain and streamed, at one provider. {@link
 * dev.finetune4j.spi.kit.OpenAiCompatibleChat} implements it for every server that speaks the
 * OpenAI chat completions protocol. Implementations are thread-safe.
 *
 * <p>Every implementation follows the same rules, so that the router treats every provider alike:
 *
 * <ul>
 *   <li>errors are the {@link dev.finetune4j.ProviderException} tree (an HTTP error, or an error
 *       sent inside the stream, mapped by its status) and {@link dev.finetune4j.TransportException}
 *       (no usable answer: the connection failed, the per-call timeout passed, or a stream ended
 *       before the answer finished);
 *   <li>an answer that is not what the protocol says (not JSON, no choice) is a {@link
 *       dev.finetune4j.ProviderException} quoting a bounded excerpt of it;
 *   <li>a plain answer without a finish reason reports {@value ChatResult#UNKNOWN_FINISH_REASON};
 *       a stream that ends without one has not finished and fails.
 * </ul>
 */
public interface ChatService {

    /** One chat completion. */
    ChatResult chat(ChatCall call);

    /**
     * One streamed chat completion: pieces go to the listener as they arrive, then {@link
     * ChatStreamListener#onComplete} with the whole answer; returns when the stream has ended.
     */
    void chatStream(ChatCall call, ChatStreamListener listener);
}
