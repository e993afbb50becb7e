package dev.finetune4j.chat;

/** Which side of an assistant's selection answered a chat call. */
public enum Arm {
    /** The active model version (or the base model when none is active). */
    ACTIVE,
    /** The canary candidate, for its share of subjects. */
    CANDIDATE,
    /** A version the request pinned explicitly (testing before activating). */
    PINNED
}
