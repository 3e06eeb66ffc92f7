/**
 * The bot's own HTTP server, for deployments without Slack's (Discord only, Slack in Socket Mode
 * serves its routes itself, the console when `PORT` is set): the same `HttpRoute`s Slack's server
 * carries as `customRoutes`. Unknown paths are 404, a known path with another method 405.
 */
import { createServer, type Server } from "node:http";
import { matchRoute, type HttpRoute } from "./route.js";

export async function startHttpServer(port: number, routes: HttpRoute[]): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    let pathKnown = false;
    for (const route of routes) {
      const params = matchRoute(route.path, path);
      if (!params) continue;
      pathKnown = true;
      if (!route.method.includes(req.method ?? "GET")) continue;
      route.handler(Object.assign(req, { params }), res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.end();
      });
      return;
    }
    req.resume();
    res.writeHead(pathKnown ? 405 : 404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, resolve);
  });
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : port };
}
