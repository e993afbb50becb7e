package dev.finetune4j.examples;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.Arm;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.ServedBy;
import java.util.EnumMap;
import java.util.Map;

/**
 * Chat routing, as the README shows it: the active version answers; a candidate gets a sticky
 * share of users; a pin tests a version before it goes live; and a version whose model is gone is
 * answered by the base model, flagged as a fallback.
 *
 * <p>Needs an assistant {@code voice-parser} with two ready model versions (the test trains them
 * on the testkit's OpenAI emulator).
 */
public final class ChatRoutingExample {

    private ChatRoutingExample() {}

    /**
     * What the calls were answered by.
     *
     * @param first the first call, by the active version
     * @param arms how 200 users split between the active version and a 10 % candidate
     * @param sticky whether each user got the same arm on a second call
     * @param pinned a call pinned to the candidate
     * @param fallback the same pinned call after the provider's copy of the candidate was deleted
     */
    public record Routing(ServedBy first, Map<Arm, Integer> arms, boolean sticky, ServedBy pinned,
            ChatResponse fallback) {}

    /** Routes calls for {@code voice-parser}, whose versions 1 and 2 are ready. */
    public static Routing run(FineTuning ft) {
        // One router serves every call, from any thread, and keeps its caches and circuit breakers:
        // an application creates it at start-up and closes it (or its FineTuning) at shutdown.
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            return route(ft, router);
        }
    }

    private static Routing route(FineTuning ft, ChatRouter router) {
        Assistant parser = ft.assistant("voice-parser");

        // 1. The active version answers; the router adds the active prompt version, if any.
        parser.activate(1, Change.by("alice", "first fine-tune"));
        ChatResponse first = router.chat(ChatRequest.of("voice-parser", "squat 100 kilos for 5 reps"));

        // 2. A canary: v2 for 10 % of users, chosen by a hash of the subject, so each user stays on one arm.
        parser.setCandidate(2, 10, Change.by("alice", "try v2 on 10 % of users"));
        Map<Arm, Integer> arms = new EnumMap<>(Arm.class);
        boolean sticky = true;
        for (int user = 0; user < 200; user++) {
            ChatRequest call = ChatRequest.builder("voice-parser").user("bench 80 kg for 8").subject("user-" + user)
                    .build();
            Arm arm = router.chat(call).servedBy().arm();
            arms.merge(arm, 1, Integer::sum);
            sticky &= router.chat(call).servedBy().arm() == arm;
        }

        // 3. Pin a version (or the base model, or a prompt version) to test it before it goes live.
        ChatRequest pinnedCall = ChatRequest.builder("voice-parser").user("deadlift 140 for 3").pinModelVersion(2)
                .build();
        ServedBy pinned = router.chat(pinnedCall).servedBy();

        // 4. The provider's copy of v2 disappears (deleted in its console, say): calls that choose v2
        //    are answered by the base model and flagged, instead of failing.
        ft.provider("openai").training().orElseThrow().deleteModel(parser.modelVersion(2).orElseThrow().providerModelId());
        ChatResponse fallback = router.chat(pinnedCall);
        assert fallback.servedBy().fallback() && fallback.servedBy().baseModel();

        return new Routing(first.servedBy(), arms, sticky, pinned, fallback);
    }
}
