// Types for local-api.mjs (used by the e2e suite and the benchmarks).
import type { ChildProcess } from 'node:child_process';

export const ROOT: string;
export const OFFLINE_ENV: NodeJS.ProcessEnv;
export function ensureDevVars(port?: number): Record<string, string>;
export function applyMigrations(persistTo?: string): string;
export function seedDemo(persistTo?: string, notesKey?: string): Promise<string>;
export function startApi(opts?: {
  port?: number;
  persistTo?: string;
  vars?: Record<string, string>;
  stdio?: 'pipe' | 'inherit';
  timeoutMs?: number;
}): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void>; output: () => string }>;
export function runCron(url: string): Promise<void>;
