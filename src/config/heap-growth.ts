import { setFlagsFromString } from 'node:v8';

/**
 * How far the V8 heap may grow past what the last full collection kept before the next one:
 * `--heap-growing-percent` (the limit becomes live × (1 + percent / 100)); 0 leaves V8's own
 * choice. V8 picks a factor of up to 4 when collections are fast and memory is plentiful, and
 * under load a request's short-lived objects still reach the old generation (two scavenges pass
 * while 32 requests are in flight): on the 100,000-recipe catalog (≈330 MiB live after a full
 * collection) the heap reached ~1.5 GiB before V8 collected it.
 *
 * Measured on the restarted 100k catalog, every bench route at 32 clients for 15 s in turn:
 * the process's peak RSS was 1,872 MiB with V8's choice, 1,209 MiB at 100 %, 1,038 MiB at 50 %
 * and 986 MiB at 25 %; CPU per request did not move beyond run-to-run noise at 50 % and 100 %
 * (search 5.8 / 6.2 / 6.9 ms, user lists 21.6 / 21.4 / 17.2 ms) and rose at 25 % (the no-op
 * route 0.65 → 0.96 ms, pantry 3.6 → 5.1 ms).
 *
 * The flag is read at every full collection, so setting it once at start takes effect for the
 * rest of the process.
 */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
