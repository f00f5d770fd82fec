// Calls a flow's MCP tool with the official MCP TypeScript SDK, over stdio (`flow mcp`) or Streamable HTTP (the API
// element's /mcp): lists the tools, calls the flow's tool without and with progress, and with bad arguments.
// Prints one JSON object for the test to check.
// Usage: node client.mjs COMMAND ARGS...   or   node client.mjs --http URL KEY
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ProgressNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

const [command, ...args] = process.argv.slice(2);
const transport = command === "--http"
  ? new StreamableHTTPClientTransport(new URL(args[0]), { requestInit: { headers: { "X-API-Key": args[1] } } })
  : new StdioClientTransport({ command, args, stderr: "inherit" });
const client = new Client({ name: "flowgraph-test-client", version: "1.0.0" });
try {
  await client.connect(transport);
} catch (e) {
  console.log(JSON.stringify({ connectError: String(e) }));
  process.exit(0);
}
const out = {};
out.tools = (await client.listTools()).tools;
const name = out.tools[0].name;
out.plain = await client.callTool({ name, arguments: { prompt: "Once upon a time," } });
// onprogress makes the SDK send a progress token. The SDK hands notifications to onprogress a microtask late and
// forgets the call's handler as soon as its result is in, so a fast answer whose notifications arrive in one read
// with the result would reach onprogress only in part: every notification that arrives is recorded here instead.
const progress = [];
client.setNotificationHandler(ProgressNotificationSchema, (n) => { progress.push(n.params); });
out.withProgress = await client.callTool({ name, arguments: { prompt: "Once upon a time," } }, undefined,
  { onprogress: () => {} });
out.progress = progress;
out.missingPrompt = await client.callTool({ name, arguments: { system: "Be brief." } });
out.wrongType = await client.callTool({ name, arguments: { prompt: 42 } });
await client.close();
console.log(JSON.stringify(out));
