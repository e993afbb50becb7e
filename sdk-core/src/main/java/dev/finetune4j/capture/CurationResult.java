package dev.finetune4j.capture;

import dev.finetune4j.dataset.AppendResult;

/**
 * What curating captures into a dataset did.
 *
 * @param selected captures the query matched
 * @param rejected of those, captures rated down (or scored below 0.5) without a correction, which
 *     are never trained on
 * @param appended the dataset append of the others, with its validation report and duplicates
 */
public record CurationResult(long selected, long rejected, AppendResult appended) {}
