// Vitest globalSetup of the e2e suite: the one throwaway API of the run, shared by every journey file (each
// makes its own provider on it). Its start begins here, while Vitest loads the first file, but nothing here
// fails on it: the first file's ask (ensureApi) waits for it and, if it failed, tries again, so a taken port
// or a failed migration is a failed test with its reason rather than a run that never reports. Files reach
// this process over a small control server on a free port: the offline journey stops the API and restarts it.
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { type ApiHandle, freshDatabase, startLocalApi } from './api';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let db = '';
  let api: ApiHandle | null = null;
  const actions: Record<string, () => Promise<void>> = {
    '/start': async () => {
      db ||= await freshDatabase();
      api ??= await startLocalApi(db);
    },
    '/stop': async () => {
      await api?.stop();
      api = null;
    },
  };
  // One action at a time, in the order asked.
  let queue: Promise<void> = Promise.resolve();
  const server = createServer((req, res) => {
    const action = req.method === 'POST' ? actions[req.url ?? ''] : undefined;
    if (!action) {
      res.writeHead(404).end();
      return;
    }
    queue = queue.then(action).then(
      () => void res.writeHead(204).end(),
      (err: unknown) => void res.writeHead(500).end(err instanceof Error ? err.message : String(err)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  queue = actions['/start']!().catch(() => undefined);
  project.provide('e2eApiControl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);

  return async () => {
    server.close();
    await queue;
    await actions['/stop']!();
    if (db) rmSync(db, { recursive: true, force: true });
  };
}
