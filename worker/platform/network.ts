// The caller's network, as audit rows record it: the /24 of an IPv4 address or the /48 of an IPv6
// one, in CIDR form — never the full address (a person's address is personal data; the prefix is
// enough to tell "my office" from "somewhere else"). Null when the address is unknown.
//
// The request's network is kept for its duration in an AsyncLocalStorage (index.ts sets it from
// CF-Connecting-IP), so every audit row written while handling the request carries it without each
// use-case passing it along.
/// <reference path="./async-hooks.d.ts" />
import { AsyncLocalStorage } from 'node:async_hooks';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function networkOf(address: string | null | undefined): string | null {
  if (!address) return null;
  const a = address.trim();
  const v4 = IPV4.exec(a) ?? IPV4.exec(a.replace(/^::ffff:/i, ''));
  if (v4) {
    const octets = v4.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) return null;
    return `${octets[0]}.${octets[1]}.${octets[2]}.0/24`;
  }
  const groups = expandIpv6(a);
  if (!groups) return null;
  // The first three groups, zeros dropped as the canonical text form does (RFC 5952 for the prefix).
  const head = groups.slice(0, 3).map((g) => g.toString(16));
  while (head.length > 0 && head[head.length - 1] === '0') head.pop();
  return `${head.join(':')}::/48`;
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function expandIpv6(a: string): number[] | null {
  if (!a.includes(':') || !/^[0-9a-f:]+$/i.test(a)) return null;
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => '0'), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.map((g) => Number.parseInt(g, 16));
}

const current = new AsyncLocalStorage<{ network: string | null }>();

/** Runs `fn` with `network` as the request's network (index.ts, once per request). */
export const withNetwork = <T>(network: string | null, fn: () => T): T => current.run({ network }, fn);

/** The network of the request being handled, or null (none known, or outside a request). */
export const currentNetwork = (): string | null => current.getStore()?.network ?? null;
