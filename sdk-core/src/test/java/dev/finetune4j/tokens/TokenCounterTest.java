package dev.finetune4j.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCounterTest {

    @Test
    void countBoth_matchesTheSeparateCounts_inOnePass() {
        TokenCounter counter = TokenCounter.forModel("gpt-4o-mini");
        Example e = Example.builder()
                .message(Message.system("You parse workouts."))
                .message(Message.user("bench 225 for 8").withName("coach"))
                .message(Message.assistantToolCalls(null, List.of(new ToolCall("call_1", "log_set", "{\"reps\":8}"))))
                .message(Message.tool("call_1", "logged"))
                .message(Message.assistant("Logged 8 reps at 225 lbs. 💪"))
                .tool(ToolDefinition.of("log_set", "Logs a set", "{\"type\":\"object\"}"))
                .build();

        TokenCounter.ExampleTokens both = counter.countBoth(e);

        assertThat(both.total()).isEqualTo(counter.count(e));
        assertThat(both.assistant()).isEqualTo(counter.countAssistant(e)).isPositive();
    }
}
