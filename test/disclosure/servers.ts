// Local web servers for the fetch tests: HTTPS with a throwaway self-signed certificate for
// 127.0.0.1 and localhost (made with openssl), and plain HTTP. Routes answer with fixed
// responses; nothing listens anywhere but loopback.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Socket } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Site {
  origin: string;
  port: number;
  routes: Map<string, Handler>;
  close: () => Promise<void>;
}

export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "concord-tls-"));
  const r = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`openssl is needed for the HTTPS tests: ${r.stderr}`);
  const out = {
    key: readFileSync(join(dir, "key.pem"), "utf8"),
    cert: readFileSync(join(dir, "cert.pem"), "utf8"),
  };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

export async function startSite(tls?: { key: string; cert: string }): Promise<Site> {
  const routes = new Map<string, Handler>();
  const handler: Handler = (req, res) => {
    const h = routes.get(req.url ?? "/");
    if (h) h(req, res);
    else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    }
  };
  const server = tls ? createHttps(tls, handler) : createHttp(handler);
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    routes,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

export const text =
  (body: string | Buffer, contentType = "text/plain; charset=utf-8", status = 200): Handler =>
  (_req, res) => {
    res.writeHead(status, { "content-type": contentType });
    res.end(body);
  };

export const redirect =
  (to: string, status = 301): Handler =>
  (_req, res) => {
    res.writeHead(status, { location: to });
    res.end();
  };
