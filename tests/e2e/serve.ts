/** dist/ served by an ordinary static server under a base path of our choosing, as a reader might host it. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { DIST } from './dist.ts';

export interface Served {
  /** The site's root URL, ending in the base path and a slash. */
  root: string;
  close(): Promise<void>;
}

export async function serveDist(base: string): Promise<Served> {
  const files = sirv(DIST, { dev: true, etag: false });
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (!url.startsWith(base)) {
      response.writeHead(404).end('outside the base path');
      return;
    }
    request.url = url.slice(base.length - 1);
    files(request, response, () => response.writeHead(404).end('not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    root: `http://127.0.0.1:${port}${base}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
