/** A directory served by an ordinary static server under a base path, as a reader might host the site (tests, bench). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

export interface Served {
  /** The site's root URL, ending in the base path and a slash. */
  root: string;
  close(): Promise<void>;
}

export async function serveDirectory(dir: string, base: string): Promise<Served> {
  if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`base path "${base}" must start and end with /`);
  const files = sirv(dir, { dev: true, etag: false });
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (!url.startsWith(base)) {
      response.writeHead(404).end('outside the base path');
      return;
    }
    request.url = url.slice(base.length - 1);
    files(request, response, () => {
      response.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    root: `http://127.0.0.1:${port}${base}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
