import { totalmem } from 'node:os';

const MIB = 1024 * 1024;

/**
 * The share of the process's memory its heap may take by default. V8's own limit is about
 * 4 GiB on a 64-bit machine however much memory it has (4,144 MiB on the 24 GiB bench machine),
 * and a 1,000,000-recipe catalog needs more: its import ended "JavaScript heap out of memory"
 * there unless started with --max-old-space-size. The rest of the memory is for what lives
 * outside the heap (the vector store's typed arrays, SQLite's cache, the worker threads).
 */
export const HEAP_SHARE = 0.75;

/**
 * The node flag that sizes the heap, as `npm start` passes it: `--max-old-space-size` of
 * NODE_HEAP_MIB, or of HEAP_SHARE of MEMORY_LIMIT_MIB, else of the container's or the machine's
 * memory. None when NODE_OPTIONS already sizes it (node takes its command line over NODE_OPTIONS,
 * and the operator's choice wins). A bad NODE_HEAP_MIB is reported in `problems` and ignored.
 */
export function heapLimitFlags(env: NodeJS.ProcessEnv, problems: string[] = [], memory: () => number = machineMemory): string[] {
  if (/(^|\s)--max-old-space-size[=\s]/.test(env.NODE_OPTIONS ?? '')) return [];
  const given = env.NODE_HEAP_MIB?.trim();
  if (given) {
    if (/^\d+$/.test(given) && Number(given) >= 64) return [`--max-old-space-size=${Number(given)}`];
    problems.push(`NODE_HEAP_MIB must be a whole number of MiB, at least 64 (got "${given}"); the heap is sized from the memory instead`);
  }
  const limit = /^\d+$/.test(env.MEMORY_LIMIT_MIB?.trim() ?? '') ? Number(env.MEMORY_LIMIT_MIB) * MIB : memory();
  return [`--max-old-space-size=${Math.max(64, Math.floor((limit * HEAP_SHARE) / MIB))}`];
}

/** The memory the process may use when none is configured: the container's limit, else the machine's memory. */
export function machineMemory(): number {
  // Without a limit, libuv reports 0 or a huge number (2^63 rounded down to a page on cgroup v1).
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
}

/**
 * What each of `workers` server processes may use (WORKERS above 1): an equal share of the
 * memory (MEMORY_LIMIT_MIB, else the container's or the machine's), as its own MEMORY_LIMIT_MIB,
 * which its memory budget reads, and its heap sized from that share as `npm start` sizes one
 * process's. NODE_HEAP_MIB and a heap size in NODE_OPTIONS stay what they say, per process.
 */
export function workerMemoryShare(
  env: NodeJS.ProcessEnv,
  workers: number,
  memory: () => number = machineMemory,
): { memoryLimitMiB: number; heapFlags: string[] } {
  const limitMiB = /^\d+$/.test(env.MEMORY_LIMIT_MIB?.trim() ?? '') ? Number(env.MEMORY_LIMIT_MIB) : Math.floor(memory() / MIB);
  const memoryLimitMiB = Math.max(1, Math.floor(limitMiB / workers));
  return { memoryLimitMiB, heapFlags: heapLimitFlags({ ...env, MEMORY_LIMIT_MIB: String(memoryLimitMiB) }, [], memory) };
}
