import { Command, CommandRunner, Option } from 'nest-commander';
import { IndexSynchroniser } from '../indexing/index-synchroniser.service';
import { OutboxWorker } from '../indexing/outbox-worker.service';
import { SeedService, SeedSummary } from '../recipes/seed.service';
import { ProgressReporter } from './progress';

interface SeedCommandOptions {
  source?: string;
  path?: string[];
  dryRun?: boolean;
  reset?: boolean;
  json?: boolean;
  index?: boolean;
}

@Command({
  name: 'seed',
  description:
    'Import recipes: every bundled source by default, or one source, or files/folders in any supported format ' +
    '(HowToCook Markdown, YunYouJun CSV, Indian Food 101 CSV, GialloZafferano CSV, the service JSON). Idempotent.',
})
export class SeedCommand extends CommandRunner {
  constructor(
    private readonly seeder: SeedService,
    private readonly synchroniser: IndexSynchroniser,
    private readonly outboxWorker: OutboxWorker,
  ) {
    super();
  }

  async run(_args: string[], options: SeedCommandOptions): Promise<void> {
    const bars = new Map<string, ProgressReporter>();
    const summary = await this.seeder.seed({
      source: options.source,
      paths: options.path,
      dryRun: options.dryRun,
      reset: options.reset,
      onProgress: (event) => {
        if (event.kind !== 'batch') return;
        const bar = bars.get(event.source) ?? new ProgressReporter(`import ${event.source}`);
        bars.set(event.source, bar);
        bar.update(event.done, event.total);
        if (event.done === event.total) bar.stop();
      },
    });
    if (!options.dryRun && options.index !== false) {
      const bar = new ProgressReporter('index');
      await this.synchroniser.prepare((done, total) => bar.update(done, total));
      await this.outboxWorker.drain((done, total) => bar.update(done, total));
      bar.stop();
    }
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  }

  @Option({
    flags: '-s, --source <name>',
    description: 'Only this bundled source (howtocook, yunyoujun-cook, indian-food-101, italian-giallozafferano)',
  })
  parseSource(value: string): string {
    return value;
  }

  @Option({ flags: '-p, --path <path>', description: 'A file or folder to import instead of the bundled data (repeatable)' })
  parsePath(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  }

  @Option({ flags: '--dry-run', description: 'Read and validate everything, report what would change, write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--reset', description: 'Delete the whole catalog before importing' })
  parseReset(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'Print the summary as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--no-index', description: 'Leave indexing to the running service' })
  parseNoIndex(): boolean {
    return false;
  }
}

export function formatSummary(summary: SeedSummary): string {
  const lines: string[] = [];
  if (summary.dryRun) lines.push('Dry run: nothing was written.');
  if (summary.deleted) lines.push(`Reset: ${summary.dryRun ? 'would delete' : 'deleted'} ${summary.deleted} recipes first.`);
  const header = ['source', 'read', 'created', 'updated', 'unchanged', 'skipped', 'duplicates'];
  const rows = summary.sources.map((s) => [s.source, s.read, s.created, s.updated, s.unchanged, s.skipped.length, s.duplicates.length]);
  const t = summary.totals;
  rows.push(['total', t.read, t.created, t.updated, t.unchanged, t.skipped, t.duplicates]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const fmt = (cells: Array<string | number>) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  lines.push(fmt(header), ...rows.map(fmt));
  for (const s of summary.sources) {
    for (const issue of s.skipped) {
      lines.push(`skipped  ${issue.file}${issue.line ? `:${issue.line}` : ''}  ${issue.reason}`);
    }
    for (const issue of s.duplicates) {
      lines.push(`duplicate  ${issue.file}${issue.line ? `:${issue.line}` : ''}  ${issue.reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
