import { Command, CommandRunner, Option } from 'nest-commander';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { IndexSynchroniser, VerifyReport } from '../indexing/index-synchroniser.service';
import { ProgressReporter } from './progress';

@Command({
  name: 'verify-index',
  description:
    'Compare the catalog with the vector index; exits 1 on drift (missing, stale or orphan ids, orphaned collections) ' +
    'unless --repair fixes it. Pending outbox work is reported, not drift.',
})
export class VerifyIndexCommand extends CommandRunner {
  constructor(
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly synchroniser: IndexSynchroniser,
  ) {
    super();
  }

  async run(_args: string[], options: { repair?: boolean; json?: boolean }): Promise<void> {
    await this.activeIndex.open();
    const bar = new ProgressReporter('repair');
    const report = await this.synchroniser.verify({ repair: options.repair }, (done, total) => bar.update(done, total));
    bar.stop();
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    process.exitCode = exitCodeOf(report);
  }

  @Option({ flags: '--repair', description: 'Index missing and stale recipes, delete orphan points, drop orphaned collections' })
  parseRepair(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'Print the report as JSON' })
  parseJson(): boolean {
    return true;
  }
}

/** 0: in step (work merely queued in the outbox included) or repaired; 1: drift left. */
export function exitCodeOf(report: VerifyReport): number {
  return report.drift > 0 && !report.repaired ? 1 : 0;
}

function formatReport(report: VerifyReport): string {
  const sample = (ids: string[]) => (ids.length ? ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})` : '');
  const { collections } = report;
  return [
    `model       ${report.modelId}`,
    `collection  ${report.collection}`,
    `catalog     ${report.catalog} recipes`,
    `indexed     ${report.indexed} points`,
    `missing     ${report.missing.length}${sample(report.missing)}`,
    `stale       ${report.stale.length}${sample(report.stale)}`,
    `orphans     ${report.orphans.length}${sample(report.orphans)}`,
    `outbox      ${report.pendingOutbox} pending (queued work, not drift)`,
    `collections ${collections.building.length} building, ${collections.retiring.length} retiring, ${collections.orphaned.length} orphaned${sample(collections.orphaned)}`,
    report.drift === 0
      ? 'OK: no drift'
      : report.repaired
        ? `Repaired ${report.drift} differences`
        : `DRIFT: ${report.drift} differences (run with --repair)`,
    '',
  ].join('\n');
}
