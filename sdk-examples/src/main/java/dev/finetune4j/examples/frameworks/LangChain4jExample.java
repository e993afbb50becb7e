package dev.finetune4j.examples.frameworks;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ServedBy;
import dev.finetune4j.langchain4j.FineTuneChatModel;
import dev.finetune4j.langchain4j.FineTuneChatRequestParameters;
import dev.finetune4j.langchain4j.FineTuneChatResponseMetadata;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.UserMessage;

/**
 * A LangChain4j AI Service answered by the router, as the README shows it: the app keeps its
 * AI Service, chat memory and tools, and swaps its {@code ChatModel} bean for the router's; each
 * user's memory id is the canary subject; a version activated in the middle of a conversation
 * answers its next turn.
 *
 * <p>Needs an assistant {@code voice-parser} with two ready model versions (the test trains them
 * on the testkit's OpenAI emulator).
 */
public final class LangChain4jExample {

    private LangChain4jExample() {}

    /** The app's AI Service: one conversation, with its own memory, per user. */
    public interface VoiceParser {
        /** Parses a spoken workout command into JSON. */
        Result<String> parse(@MemoryId String user, @UserMessage String command);
    }

    /**
     * Two turns of one conversation and what answered them.
     *
     * @param first the first answer
     * @param firstBy what answered it
     * @param second the answer after version 2 was activated
     * @param secondBy what answered it
     */
    public record Turns(String first, ServedBy firstBy, String second, ServedBy secondBy) {}

    /** Parses two commands of one user, activating version 2 of {@code voice-parser} between them. */
    public static Turns run(FineTuning ft, String firstCommand, String secondCommand) {
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {     // one per application
            ChatModel model = FineTuneChatModel.builder().router(router).assistant("voice-parser").build();
            VoiceParser parser = AiServices.builder(VoiceParser.class)
                    .chatModel(model)
                    .chatMemoryProvider(user -> MessageWindowChatMemory.withMaxMessages(10))
                    .chatRequestTransformer(FineTuneChatRequestParameters.subjectFromMemoryId())   // sticky canary
                    .build();

            ft.assistant("voice-parser").activate(1, Change.by("alice", "first fine-tune"));
            Result<String> first = parser.parse("user-7", firstCommand);
            ft.assistant("voice-parser").activate(2, Change.by("bob", "more exercises"));
            Result<String> second = parser.parse("user-7", secondCommand);

            return new Turns(first.content(), servedBy(first), second.content(), servedBy(second));
        }
    }

    private static ServedBy servedBy(Result<String> result) {
        return ((FineTuneChatResponseMetadata) result.finalResponse().metadata()).servedBy();
    }
}
