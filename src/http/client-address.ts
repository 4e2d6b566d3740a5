import type { Request } from 'express';
import { isIPv4 } from 'node:net';

/**
 * The address a request comes from, as a rate-limit key: `req.ip` (which honours TRUST_PROXY),
 * IPv4-mapped IPv6 folded to IPv4, and IPv6 cut to its /64, the block one subscriber gets, so
 * nobody evades a limit by rotating through their own addresses.
 */
export function clientAddress(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  if (ip.startsWith('::ffff:') && isIPv4(ip.slice(7))) return ip.slice(7);
  if (!ip.includes(':')) return ip;
  return ipv6Prefix64(ip);
}

export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

function ipv6Prefix64(ip: string): string {
  if (ip === '::1') return ip;
  const [head, tail] = ip.split('%')[0].toLowerCase().split('::');
  const groups = (part: string | undefined) =>
    part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : [];
  const before = groups(head);
  const after = groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - before.length - after.length)).fill('0');
  const full = [...before, ...zeros, ...after];
  return `${full
    .slice(0, 4)
    .map((group) => parseInt(group || '0', 16).toString(16))
    .join(':')}::/64`;
}
