// Embeddings from a Flowgraph flow with the official OpenAI SDK: any flow with an Embeddings or Retrieve node
// serves POST /v1/embeddings (examples/rag-api.flow.json does).
// Usage: FLOW_API_KEY=... node openai_embeddings.mjs [BASE_URL] [TEXT...]   (BASE_URL default http://localhost:5050)
import OpenAI from "openai";

const [baseUrl = "http://localhost:5050", ...texts] = process.argv.slice(2);
const client = new OpenAI({ baseURL: baseUrl + "/v1", apiKey: process.env.FLOW_API_KEY });
const input = texts.length > 0 ? texts : ["Paris is the capital of France.", "Flows are drawn in an editor."];

const answer = await client.embeddings.create({ model: "all-MiniLM-L6-v2-q", input });
console.log(JSON.stringify({
  model: answer.model,
  usage: answer.usage,
  vectors: answer.data.map((d) => ({ index: d.index, dims: d.embedding.length, first: d.embedding[0] })),
}));
