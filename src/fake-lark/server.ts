// Serves a fake Lark on 127.0.0.1 with a free port, for tests that point the real SDK at it.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createFakeLark, type FakeLark } from './fake-lark.js';
import type { FakeLarkOptions } from './types.js';

export type RunningFakeLark = FakeLark & {
  /** e.g. http://127.0.0.1:54321, the `domain` to give the SDK. */
  readonly url: string;
  close(): Promise<void>;
};

export async function startFakeLark(options: FakeLarkOptions): Promise<RunningFakeLark> {
  const fake = createFakeLark(options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: fake.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // The SDK's keep-alive sockets would hold close() open until they time out.
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  return Object.assign(fake, { url: `http://127.0.0.1:${port}`, close });
}
