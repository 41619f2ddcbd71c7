import net from 'node:net';
import { healthResponseSchema } from '@everyskill/contracts';
import { expect, test } from './support/test';
import { startStandalone, type RunningServer } from './support/standalone';

// Acceptance: /api/health with the database stopped answers 503 within 2 s, never hangs.
async function expectDownWithin2s(server: RunningServer) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(5_000) });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(healthResponseSchema.parse(await response.json())).toMatchObject({
      status: 'down',
      db: 'down',
      dbKind: 'postgres',
      pendingMigrations: null,
    });
    test.info().annotations.push({ type: 'health latency', description: `${Math.round(elapsed)} ms` });
    expect(elapsed).toBeLessThan(2_000);
  }
}

test('nothing listening on the database port: 503 at once', async () => {
  const server = await startStandalone({ APP_ENV: 'test', DATABASE_URL: 'postgres://everyskill:pw@127.0.0.1:1/everyskill' });
  try {
    await expectDownWithin2s(server);
  } finally {
    await server.stop();
  }
});

test('a database that accepts connections and never answers: 503 within 2 s', async () => {
  const sockets = new Set<net.Socket>();
  const blackHole = net.createServer((socket) => {
    sockets.add(socket); // hold it open, read nothing, answer nothing
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const { port } = blackHole.address() as net.AddressInfo;
  const server = await startStandalone({
    APP_ENV: 'test',
    DATABASE_URL: `postgres://everyskill:pw@127.0.0.1:${port}/everyskill`,
  });
  try {
    await expectDownWithin2s(server);
    expect(sockets.size).toBeGreaterThan(0); // the server really did reach the silent database
  } finally {
    await server.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  }
});
