// A test MCP server made with the official TypeScript SDK: tools add(a, b) and shout(text), over stdio, or over
// Streamable HTTP on 127.0.0.1 with "--http PORT" (stateless: a server and transport per request).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import http from "node:http";

function makeServer() {
  const server = new McpServer({ name: "flowgraph-test-tools", version: "1.0.0" });
  server.registerTool("add", { description: "Adds two numbers", inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }));
  server.registerTool("shout", { description: "Says the text in capitals", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text: text.toUpperCase() }] }));
  return server;
}

if (process.argv[2] === "--http") {
  const port = Number(process.argv[3]);
  http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", async () => {
      const server = makeServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => { transport.close(); server.close(); });
      await server.connect(transport);
      await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined);
    });
  }).listen(port, "127.0.0.1", () => console.log("listening on " + port));
} else {
  await makeServer().connect(new StdioServerTransport());
}
