package dev.finetune4j.examples.frameworks;

import dev.finetune4j.chat.ServedBy;
import dev.finetune4j.springai.FineTuneAdvisor;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.model.ChatModel;

/**
 * A Spring AI service answered by the router, as the README shows it: the starter builds {@code
 * FineTuning} and a {@code ChatModel} per assistant from {@code application.properties}
 * ({@code finetune4j.assistants=voice-parser}); the service uses Spring AI's {@code ChatClient}
 * as with any other model, and the advisor makes each user a canary subject and says what
 * answered.
 */
public class SpringAiExample {

    private final ChatClient chat;

    /** A service on the assistant's chat model (the {@code voice-parserChatModel} bean). */
    public SpringAiExample(ChatModel voiceParser) {
        this.chat = ChatClient.builder(voiceParser).defaultAdvisors(new FineTuneAdvisor()).build();
    }

    /**
     * What answered a command.
     *
     * @param json the parsed command
     * @param servedBy the version, prompt, arm and fallback that answered
     */
    public record Parsed(String json, ServedBy servedBy) {}

    /** Parses a spoken workout command of {@code user}. */
    public Parsed parse(String user, String command) {
        ChatClientResponse r = chat.prompt().user(command)
                .advisors(a -> a.param(FineTuneAdvisor.SUBJECT, user))
                .call().chatClientResponse();
        return new Parsed(r.chatResponse().getResult().getOutput().getText(),
                (ServedBy) r.context().get(FineTuneAdvisor.SERVED_BY));
    }
}
