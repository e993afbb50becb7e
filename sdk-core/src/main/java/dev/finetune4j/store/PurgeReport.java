package dev.finetune4j.store;

import dev.finetune4j.Tenant;

/**
 * What a privacy purge physically removed.
 *
 * @param tenant the tenant purged
 * @param records records removed (every revision of each)
 * @param revisions revisions removed
 * @param blobs blobs removed
 * @param bytes blob bytes removed
 */
public record PurgeReport(Tenant tenant, long records, long revisions, long blobs, long bytes) {}
