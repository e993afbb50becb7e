package dev.finetune4j.langchain4j;

import dev.finetune4j.chat.ChatRouter;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.List;
import java.util.Set;

/** What a built model holds. */
record ModelSettings(ChatRouter router, ChatRequestParameters defaults, List<ChatModelListener> listeners,
        Set<Capability> capabilities, boolean strictJsonSchema) {}
