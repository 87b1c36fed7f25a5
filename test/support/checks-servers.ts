import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A real server on 127.0.0.1, port 0. `close` ends open sockets too (a hanging server must not hold the test). */
export interface TestServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function startHttpServer(handler: Handler): Promise<TestServer> {
  return listen(http.createServer(handler), 'http');
}

export async function startHttpsServer(tlsOpts: { key: string; cert: string }, handler: Handler): Promise<TestServer> {
  return listen(https.createServer(tlsOpts, handler), 'https');
}

async function listen(server: http.Server, scheme: string): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A free port: bound and released (nothing listens on it afterwards). */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Resources released in reverse order of acquisition (LIFO), even when a test fails. */
export class Stack {
  private readonly fns: Array<() => Promise<unknown> | unknown> = [];
  defer(fn: () => Promise<unknown> | unknown): void {
    this.fns.push(fn);
  }
  async use<T extends { close(): Promise<void> }>(r: Promise<T>): Promise<T> {
    const v = await r;
    this.defer(() => v.close());
    return v;
  }
  async dispose(): Promise<void> {
    while (this.fns.length) await this.fns.pop()!();
  }
}
