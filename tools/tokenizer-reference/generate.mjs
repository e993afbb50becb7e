// Writes sdk-core/src/test/resources/tokenizer/expected.jsonl: the reference token counts (and ids)
// of corpus.jsonl and chat.jsonl under cl100k_base and o200k_base, computed with tiktoken.
//
// Usage: node generate.mjs [REPO_ROOT]   (REPO_ROOT defaults to ../.. from this file)
// Special-token text such as "<|endoftext|>" is encoded as ordinary text (encode_ordinary),
// which is what TokenCounter does. Chat examples are counted as the OpenAI cookbook's
// num_tokens_from_messages does: 3 per message, plus the tokens of every value (role, content,
// name), plus 1 when a name is present, plus 3 for the reply primer.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { get_encoding } from "tiktoken";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, "..", ".."));
const dir = join(root, "sdk-core", "src", "test", "resources", "tokenizer");
// the package's "exports" hide package.json, so read it beside the resolved entry point
const entry = createRequire(import.meta.url).resolve("tiktoken");
const version = JSON.parse(readFileSync(join(dirname(entry), "package.json"), "utf8")).version;

const ENCODINGS = ["cl100k_base", "o200k_base"];
const encoders = Object.fromEntries(ENCODINGS.map((name) => [name, get_encoding(name)]));

function readJsonl(file) {
  return readFileSync(join(dir, file), "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

function exampleTokens(enc, messages) {
  let n = 3; // every reply is primed with <|start|>assistant<|message|>
  for (const m of messages) {
    n += 3;
    for (const [key, value] of Object.entries(m)) {
      n += enc.encode_ordinary(value).length;
      if (key === "name") {
        n += 1;
      }
    }
  }
  return n;
}

const out = [JSON.stringify({ kind: "meta", tiktoken: version, generator: "tools/tokenizer-reference/generate.mjs" })];
for (const { id, text } of readJsonl("corpus.jsonl")) {
  const line = { kind: "text", id };
  for (const name of ENCODINGS) {
    const ids = Array.from(encoders[name].encode_ordinary(text));
    line[name] = ids.length;
    line[name + "_ids"] = ids;
  }
  out.push(JSON.stringify(line));
}
for (const { id, messages } of readJsonl("chat.jsonl")) {
  const line = { kind: "example", id };
  for (const name of ENCODINGS) {
    line[name] = exampleTokens(encoders[name], messages);
  }
  out.push(JSON.stringify(line));
}
Object.values(encoders).forEach((enc) => enc.free());
writeFileSync(join(dir, "expected.jsonl"), out.join("\n") + "\n");
console.error(`wrote ${out.length - 1} lines with tiktoken ${version} to ${join(dir, "expected.jsonl")}`);
