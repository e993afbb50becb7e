package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.internal.json.ExampleCodec;
import java.io.IOException;

/**
 * OpenAI chat fine-tuning JSONL: the canonical form of {@link ExampleCodec}, without tags. Every
 * part of an example has a place in it, so nothing is ever lost.
 */
final class OpenAiEncoder implements FormatEncoder {

    @Override
    public boolean encode(Example example, JsonGenerator g, LossCollector losses) throws IOException {
        ExampleCodec.write(g, example, false);
        return true;
    }
}
