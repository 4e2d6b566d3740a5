import { totalmem } from 'node:os';

/** How `npm run bench -- --scale N` runs: the catalog size and the bounds on each phase. */
export interface ServiceScaleOptions {
  /** `bundled` or the number of synthetic recipes, as it names the report file. */
  label: string;
  /** Synthetic recipes imported on top of the bundled catalog (0 for `bundled`). */
  recipes: number;
  /** Recipes per POST /api/recipes/bulk (the route takes at most 1,000). */
  batchSize: number;
  /** Bulk requests in flight at once. */
  importConcurrency: number;
  /** No phase (start, import, indexing, settling, freshness, one route's load) may take longer. */
  phaseTimeoutSeconds: number;
  /** Upper bound on each one-client and each 32-client load. */
  loadSeconds: number;
  /** The service is stopped when its resident set passes this, so a too-large run cannot starve the machine. */
  maxRssMiB: number;
  /**
   * A database file to use and keep (`--database`), or null for a temporary one. When it already
   * holds the bundled catalog and the synthetic recipes, the import is skipped: a second run
   * measures the routes without importing again.
   */
  databasePath: string | null;
  /**
   * A directory for the service's CPU profile (`node --cpu-prof`, written when it stops), or null
   * for none: the profile of the very run whose figures are in question.
   */
  profileDir: string | null;
}

/** The figures the service is held to at a catalog size. */
export interface ScaleTargets {
  tier: string;
  searchP50Ms: number;
  searchP95Ms: number;
  /** Similar dishes, by-ingredients (both modes), session and user recommendations, one client. */
  otherP50Ms: number;
  searchConcurrentRps: number;
  peakRssMiB: number;
  importAndIndexPerS: number;
  freshnessMaxS: number;
}

const TARGETS_100K: ScaleTargets = {
  tier: '100k',
  searchP50Ms: 3,
  searchP95Ms: 10,
  otherP50Ms: 5,
  searchConcurrentRps: 800,
  peakRssMiB: 1024,
  importAndIndexPerS: 5000,
  freshnessMaxS: 2,
};

const TARGETS_1M: ScaleTargets = {
  tier: '1M',
  searchP50Ms: 5,
  searchP95Ms: 15,
  otherP50Ms: 10,
  searchConcurrentRps: 500,
  peakRssMiB: 3072,
  importAndIndexPerS: 5000,
  freshnessMaxS: 2,
};

/** Catalogs up to 100,000 synthetic recipes are held to the 100k targets, larger ones to the 1M targets. */
export function targetsFor(recipes: number): ScaleTargets {
  return recipes <= 100_000 ? TARGETS_100K : TARGETS_1M;
}

export const SCALE_USAGE = `usage: npm run bench -- --scale <N|bundled> [options]
  N                        synthetic recipes imported over HTTP on top of the bundled catalog: 37000, 100k, 1e6, 1m
  --phase-timeout <s>      stop cleanly when a phase takes longer (default 900)
  --load-seconds <s>       bound on each one-client and each 32-client load (default 15)
  --max-rss-mib <MiB>      stop the service when its resident set passes this (default half the machine's memory)
  --batch <n>              recipes per bulk request, at most 1000 (default 1000)
  --import-concurrency <n> bulk requests in flight (default 4)
  --database <file>        use and keep this database; a later run on it skips the import it already holds
  --profile-dir <dir>      write the service's CPU profile there when it stops (node --cpu-prof)
The service gets this process's environment (VECTOR_STORE, EMBEDDED_IVF_*, INDEX_*, NODE_OPTIONS…).`;

export function parseCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(e\d+|k|m)?$/i.exec(text.replace(/[_,]/g, ''));
  if (!match) return Number.NaN;
  const base = Number(match[1]);
  const suffix = (match[2] ?? '').toLowerCase();
  const value =
    suffix === 'k' ? base * 1e3 : suffix === 'm' ? base * 1e6 : suffix.startsWith('e') ? base * 10 ** Number(suffix.slice(1)) : base;
  return Number.isInteger(value) ? value : Number.NaN;
}

/**
 * The scale run's options from the command line, or null when `--scale` is absent (the regular
 * sections run then). Throws with the usage text on anything it cannot read.
 */
export function parseScaleArgs(argv: readonly string[]): ServiceScaleOptions | null {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"\n${SCALE_USAGE}`);
    const eq = arg.indexOf('=');
    if (eq > 0) values.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (i + 1 < argv.length) values.set(arg.slice(2), argv[++i]);
    else throw new Error(`${arg} needs a value\n${SCALE_USAGE}`);
  }
  if (!values.has('scale')) {
    // `--only` picks the sections of the ordinary run (bench/run.ts): not a scale option.
    values.delete('only');
    if (values.size > 0) throw new Error(`${[...values.keys()].map((k) => `--${k}`).join(', ')} only go with --scale\n${SCALE_USAGE}`);
    return null;
  }
  const problems: string[] = [];
  const number = (name: string, fallback: number, min: number, max = Number.POSITIVE_INFINITY): number => {
    const text = values.get(name);
    values.delete(name);
    if (text === undefined) return fallback;
    const value = parseCount(text);
    if (!(value >= min && value <= max))
      problems.push(`--${name} must be a whole number from ${min}${Number.isFinite(max) ? ` to ${max}` : ''}, got "${text}"`);
    return value;
  };
  const scaleText = values.get('scale')!;
  values.delete('scale');
  const recipes = scaleText.toLowerCase() === 'bundled' ? 0 : parseCount(scaleText);
  if (!(recipes >= 0)) problems.push(`--scale must be a number of recipes or "bundled", got "${scaleText}"`);
  const options: ServiceScaleOptions = {
    label: recipes === 0 ? 'bundled' : String(recipes),
    recipes,
    batchSize: number('batch', 1000, 1, 1000),
    importConcurrency: number('import-concurrency', 4, 1, 64),
    phaseTimeoutSeconds: number('phase-timeout', 900, 1),
    loadSeconds: number('load-seconds', 15, 1),
    maxRssMiB: number('max-rss-mib', Math.floor(totalmem() / 1024 / 1024 / 2), 64),
    databasePath: values.get('database') ?? null,
    profileDir: values.get('profile-dir') ?? null,
  };
  values.delete('database');
  values.delete('profile-dir');
  for (const name of values.keys()) problems.push(`unknown option --${name}`);
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${SCALE_USAGE}`);
  return options;
}
