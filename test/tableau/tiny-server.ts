/**
 * A tiny loopback HTTP server for behaviours the simulator does not produce on demand (malformed
 * bodies, lost responses). It answers serverinfo and sign-in like Tableau and hands every other
 * request to the test's handler. Not a mock of our code: the client talks real HTTP to it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type TinyHandler = (req: SeenRequest, res: ServerResponse) => void;

export const SITE_ID = '0f0e0d0c-0000-4000-8000-000000000001';
const NS = 'xmlns="http://tableau.com/api"';

export function xml(res: ServerResponse, status: number, content: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><tsResponse ${NS}>${content}</tsResponse>`);
}

export function tableauError(res: ServerResponse, status: number, code: string, summary: string, detail = ''): void {
  xml(res, status, `<error code="${code}"><summary>${summary}</summary><detail>${detail}</detail></error>`);
}

export async function startTinyServer(handler: TinyHandler): Promise<{ url: string; seen: SeenRequest[]; tokens: string[]; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const tokens: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      if (/\/serverinfo$/i.test(request.url)) return xml(res, 200, '<serverInfo><restApiVersion>3.29</restApiVersion></serverInfo>');
      if (request.url.endsWith('/auth/signin')) {
        const token = `tiny-token-${tokens.length + 1}`;
        tokens.push(token);
        return xml(res, 200, `<credentials token="${token}"><site id="${SITE_ID}" contentUrl=""/><user id="u-admin"/></credentials>`);
      }
      if (request.url.endsWith('/auth/signout')) return void res.writeHead(204).end();
      handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    tokens,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
