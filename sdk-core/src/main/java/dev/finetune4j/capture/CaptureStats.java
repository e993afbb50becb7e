package dev.finetune4j.capture;

/**
 * What the capture writer did since the {@code FineTuning} was built (counts over all its tenants).
 * Capture never makes a chat call wait or fail: what cannot be written is counted here instead.
 *
 * @param written captures stored
 * @param dropped captures dropped because the writer's queue was full (the store is slower than the traffic)
 * @param oversized captures skipped because their record exceeded the policy's size limit
 * @param failed captures lost because the redactor threw or the store refused the write
 * @param pending captures waiting in the queue now
 */
public record CaptureStats(long written, long dropped, long oversized, long failed, int pending) {}
