// The README's Python snippet, call for call, with the OpenAI SDK for Node (the tests run it: pip's openai cannot
// be installed on the build machines and Debian 12 does not package it):
//
//   from openai import OpenAI
//   client = OpenAI(base_url="http://localhost:5050/v1", api_key="QWERTY123")
//   for chunk in client.chat.completions.create(model="story-api", stream=True,
//           messages=[{"role": "user", "content": "Once upon a time,"}]):
//       print(chunk.choices[0].delta.content or "", end="", flush=True)
//
//   FLOW_URL=http://localhost:5050 FLOW_API_KEY=QWERTY123 node openai_snippet.mjs
import OpenAI from "openai";

const client = new OpenAI({
  baseURL: (process.env.FLOW_URL ?? "http://localhost:5050") + "/v1",
  apiKey: process.env.FLOW_API_KEY ?? "QWERTY123",
});
for await (const chunk of await client.chat.completions.create({
  model: "story-api", stream: true,
  messages: [{ role: "user", content: "Once upon a time," }],
})) {
  process.stdout.write(chunk.choices[0].delta.content || "");
}
