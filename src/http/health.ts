import { Hono } from 'hono';

/** GET /healthz: 200 when the database answers, 503 otherwise (for load balancers and probes). */
export function healthRoute(ping: () => Promise<boolean>): Hono {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    const ok = await ping().catch(() => false);
    return c.json({ status: ok ? 'ok' : 'degraded', database: ok ? 'ok' : 'unreachable' }, ok ? 200 : 503);
  });
  return app;
}
