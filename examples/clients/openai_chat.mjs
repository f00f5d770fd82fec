// Calls a flow through the official OpenAI SDK: the API element speaks /v1/chat/completions.
//
//   cd examples/clients && npm install
//   FLOW_URL=http://localhost:5050 FLOW_API_KEY=QWERTY123 node openai_chat.mjs "Once upon a time,"
//
// FLOW_MODEL is the flow's name (default story-api). With --stream the answer is printed as it arrives.
// With --json the script prints one JSON line describing what came back (used by the tests).
import OpenAI from "openai";

const args = process.argv.slice(2);
const stream = args.includes("--stream");
const asJson = args.includes("--json");
const prompt = args.find((a) => !a.startsWith("--")) ?? "Once upon a time,";
const maxTokens = Number(process.env.FLOW_MAX_TOKENS ?? 64);

const client = new OpenAI({
  baseURL: (process.env.FLOW_URL ?? "http://localhost:5050") + "/v1",
  apiKey: process.env.FLOW_API_KEY ?? "",
  maxRetries: 0,
});
const request = {
  model: process.env.FLOW_MODEL ?? "story-api",
  messages: [{ role: "user", content: prompt }],
  max_tokens: maxTokens,
};

try {
  if (stream) {
    const chunks = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let count = 0;
    let usage = null;
    let finish = null;
    for await (const chunk of chunks) {
      count++;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (choice?.finish_reason) finish = choice.finish_reason;
      const piece = choice?.delta?.content ?? "";
      text += piece;
      if (!asJson) process.stdout.write(piece);
    }
    if (asJson) console.log(JSON.stringify({ text, chunks: count, usage, finish_reason: finish }));
    else process.stdout.write("\n");
  } else {
    const completion = await client.chat.completions.create(request);
    const text = completion.choices[0].message.content;
    if (asJson) console.log(JSON.stringify({ text, usage: completion.usage, finish_reason: completion.choices[0].finish_reason }));
    else console.log(text);
  }
} catch (error) {
  if (asJson) console.log(JSON.stringify({ error: error.constructor.name, status: error.status ?? null }));
  else console.error(`${error.constructor.name}: ${error.message}`);
  process.exitCode = 1;
}
