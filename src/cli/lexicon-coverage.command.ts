import { Command, CommandRunner, Option } from 'nest-commander';
import { loadBundledSeed } from '../recipes/importers/seed-loader';
import { FoodLexicon } from '../text/food-lexicon';
import { computeLexiconCoverage, formatCoverageReport } from '../text/lexicon-coverage';

@Command({
  name: 'lexicon-coverage',
  description: 'Share of ingredient mentions in the bundled seed data that the food lexicon resolves, with the commonest misses',
})
export class LexiconCoverageCommand extends CommandRunner {
  constructor(private readonly lexicon: FoodLexicon) {
    super();
  }

  async run(_args: string[], options: { top?: number; json?: boolean }): Promise<void> {
    const report = computeLexiconCoverage(this.lexicon, await loadBundledSeed(), { top: options.top ?? 30 });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatCoverageReport(report));
  }

  @Option({ flags: '--top <n>', description: 'How many unresolved names to list (default 30)' })
  parseTop(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error('--top takes a whole number');
    return n;
  }

  @Option({ flags: '--json', description: 'Print the report as JSON' })
  parseJson(): boolean {
    return true;
  }
}
