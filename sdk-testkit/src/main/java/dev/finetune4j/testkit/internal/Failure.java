package dev.finetune4j.testkit.internal;

/** A failure scripted for the next job: the error code and message it ends with. */
public record Failure(String code, String message) {}
