'use strict';
// The Node.js peer of IngestBenchmark: what a user would write with gpt-tokenizer to check a chat
// fine-tuning JSONL file before training, doing the work `finetune4j stats` does on it.
// Reads FILE once, line by line; for each line: JSON.parse, OpenAI's cookbook format checks
// (messages array, known roles, string content, an assistant message), exact-duplicate removal
// (SHA-256 of the parsed messages), and the cookbook's num_tokens_from_messages count
// (3 per message + role + content (+ name + 1), 3 for the reply primer).
// Usage: node peer.cjs FILE cl100k_base|o200k_base   -> one JSON line on stdout.
const fs = require('fs');
const readline = require('readline');
const crypto = require('crypto');
const path = require('path');

const [file, encoding] = process.argv.slice(2);
if (!file || !['cl100k_base', 'o200k_base'].includes(encoding)) {
  console.error('usage: node peer.cjs FILE cl100k_base|o200k_base');
  process.exit(2);
}
const tokenizer = require(`gpt-tokenizer/encoding/${encoding}`);
const version = JSON.parse(fs.readFileSync(
  path.join(path.dirname(require.resolve('gpt-tokenizer/package.json')), 'package.json'), 'utf8')).version;
const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'function']);
const KEYS = new Set(['role', 'content', 'name', 'function_call', 'tool_calls', 'tool_call_id', 'weight']);
// special-token text such as <|endoftext|> counted as ordinary text, as finetune4j does
const count = (text) => tokenizer.countTokens(text, { disallowedSpecial: new Set() });
const roleTokens = new Map([...ROLES].map((r) => [r, count(r)]));

function valid(ex) {
  if (!ex || typeof ex !== 'object' || !Array.isArray(ex.messages) || ex.messages.length === 0) return false;
  let assistant = false;
  for (const m of ex.messages) {
    if (!m || typeof m !== 'object' || !ROLES.has(m.role)) return false;
    for (const k of Object.keys(m)) if (!KEYS.has(k)) return false;
    if (m.content !== undefined && m.content !== null && typeof m.content !== 'string') return false;
    if (m.role === 'assistant') assistant = true;
  }
  return assistant;
}

async function main() {
  const seen = new Set();
  let examples = 0, invalid = 0, duplicates = 0, total = 0, assistantTokens = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let ex;
    try { ex = JSON.parse(line); } catch (e) { invalid++; continue; }
    if (!valid(ex)) { invalid++; continue; }
    const id = crypto.createHash('sha256').update(JSON.stringify(ex.messages)).digest('base64');
    if (seen.has(id)) { duplicates++; continue; }
    seen.add(id);
    let n = 3;
    for (const m of ex.messages) {
      const body = typeof m.content === 'string' ? count(m.content) : 0;
      n += 3 + roleTokens.get(m.role) + body;
      if (m.name !== undefined) n += count(m.name) + 1;
      if (m.role === 'assistant') assistantTokens += body;
    }
    total += n;
    examples++;
  }
  console.log(JSON.stringify({ peer: 'gpt-tokenizer', version, node: process.version, encoding,
    examples, invalid, duplicates, total, assistant_tokens: assistantTokens }));
}
main().catch((e) => { console.error(e); process.exit(1); });
