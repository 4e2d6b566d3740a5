import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { projectRoot } from '../src/config/project-root';
import { openBenchApp } from './bench-app';
import { catalogEmbeddingSection } from './embedding-bench';
import { httpSection } from './http-bench';
import { loadSection } from './load-bench';
import { queryEmbeddingSection } from './query-bench';
import { buildReport, machineFacts, publishReport, SectionResult } from './report';
import { scaleSection } from './scale-bench';
import { runScaleBenchmark } from './scale-main';
import { parseScaleArgs } from './scale-options';
import { parseReplicasArgs, runReplicasBenchmark } from './replicas-bench';
import { parseOramaArgs, runOramaBaseline } from './orama-baseline';
import { searchSection } from './search-bench';
import { BenchSection } from './section';
import { seedSection } from './seed-bench';

/**
 * In order: later sections search the catalog the first one imports and indexes. The scale
 * section runs last, on its own database, so its large arrays do not weigh on the others.
 */
const SECTIONS: BenchSection[] = [
  seedSection,
  catalogEmbeddingSection,
  queryEmbeddingSection,
  searchSection,
  httpSection,
  loadSection,
  scaleSection,
];

/**
 * `--only a,b`: just those sections. The load and http sections start their own service and
 * need nothing before them; the in-process ones need the seed section.
 */
function selectedSections(argv: string[]): BenchSection[] {
  const at = argv.indexOf('--only');
  if (at === -1) return SECTIONS;
  const ids = new Set((argv[at + 1] ?? '').split(',').filter(Boolean));
  const unknown = [...ids].filter((id) => !SECTIONS.some((s) => s.id === id));
  if (ids.size === 0 || unknown.length > 0) {
    throw new Error(`--only takes section ids from: ${SECTIONS.map((s) => s.id).join(', ')}`);
  }
  return SECTIONS.filter((s) => ids.has(s.id));
}

function commandLine(): string {
  const script = process.env.npm_lifecycle_event;
  const args = process.argv.slice(2);
  if (script) return `npm run ${script}${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  return ['node', relative(process.cwd(), process.argv[1]), ...process.argv.slice(2)].join(' ');
}

function processSection(): SectionResult {
  // maxRSS is in KiB.
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  return {
    id: 'process',
    title: 'Process',
    metrics: [{ key: 'peak_rss.mib', label: 'peak RSS', value: peakRssMiB, unit: 'MiB', digits: 1 }],
  };
}

async function main(): Promise<number> {
  // `--replicas` compares one and two service processes on one PostgreSQL database.
  const replicas = parseReplicasArgs(process.argv.slice(2));
  if (replicas) return runReplicasBenchmark(replicas, commandLine());
  // `--orama N` times Orama's full-text search over the catalog `--scale N` imports, in process.
  const orama = parseOramaArgs(process.argv.slice(2));
  if (orama) return runOramaBaseline(orama);
  // `--scale N` measures the whole service at a catalog size instead of the sections below.
  const scale = parseScaleArgs(process.argv.slice(2));
  if (scale) return runScaleBenchmark(scale, commandLine());
  const started = process.hrtime.bigint();
  const date = new Date().toISOString();
  const workDir = mkdtempSync(join(tmpdir(), 'recipe-bench-'));
  const results = new Map<string, SectionResult>();
  const sections = selectedSections(process.argv.slice(2));
  let failure: unknown = null;
  try {
    const app = await openBenchApp(join(workDir, 'bench.sqlite'));
    try {
      for (const section of sections) {
        process.stderr.write(`bench: ${section.title} ...\n`);
        results.set(section.id, await section.run({ app, workDir, previous: results }));
      }
    } finally {
      await app.close();
    }
  } catch (error) {
    failure = error;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  const report = buildReport({
    date,
    command: commandLine(),
    machine: machineFacts(),
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    sections: [...results.values(), processSection()],
  });
  // A partial run does not overwrite the full report.
  const name = sections === SECTIONS ? 'bench' : `bench-${sections.map((s) => s.id).join('-')}`;
  const out = join(projectRoot(), 'reports', `${name}.json`);
  return publishReport(report, out, failure);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
