package dev.finetune4j.internal.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Finds text that is not Unicode in a parsed line: a JSON escape such as {@code "\ud800"} is valid
 * JSON but gives an unpaired UTF-16 surrogate, which no UTF-8 file, store or provider can hold.
 */
final class UnpairedSurrogates {

    private UnpairedSurrogates() {}

    /**
     * Says where the first unpaired surrogate is ({@code messages[1].content has an unpaired UTF-16
     * surrogate at character 6}), or returns null if there is none.
     */
    static String find(JsonNode node) {
        return find(node, "");
    }

    private static String find(JsonNode node, String path) {
        if (node.isTextual()) {
            int at = unpaired(node.textValue());
            return at < 0 ? null : (path.isEmpty() ? "the value" : path) + surrogateAt(at);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = find(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                int inKey = unpaired(field.getKey());
                if (inKey >= 0) {
                    return "a key" + (path.isEmpty() ? "" : " in " + path) + surrogateAt(inKey);
                }
                String found = find(field.getValue(), at);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String surrogateAt(int index) {
        return " has an unpaired UTF-16 surrogate at character " + (index + 1);
    }

    /** The index of the first unpaired surrogate, or -1. */
    private static int unpaired(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
