import { loadBundledSeed } from '../recipes/importers/seed-loader';
import { FoodLexicon } from './food-lexicon';
import { computeLexiconCoverage, formatCoverageReport } from './lexicon-coverage';

describe('computeLexiconCoverage', () => {
  const lexicon = FoodLexicon.load(undefined);

  it('counts resolved mentions, leaves tools out and ranks the misses', () => {
    const report = computeLexiconCoverage(lexicon, [
      {
        source: 'a',
        recipes: [
          { name: 'x', source: 'a', sourceId: '1', ingredients: [{ name: '盐' }, { name: '锅' }, { name: '神秘配料' }] },
          { name: 'y', source: 'a', sourceId: '2', ingredients: [{ name: '神秘配料' }, { name: 'tomatoes' }] },
        ],
      },
    ]);
    expect(report.total).toEqual({ mentions: 4, resolved: 2, tools: 1, share: 0.5 });
    expect(report.topUnresolved).toEqual([{ name: '神秘配料', count: 2, sources: ['a'] }]);
    expect(formatCoverageReport(report)).toContain('50.0%');
  });

  it('resolves at least 95% of the ingredient mentions in the bundled seed data, in every source', async () => {
    const imports = await loadBundledSeed();
    const report = computeLexiconCoverage(lexicon, imports);
    expect(report.bySource.map((s) => s.source)).toEqual(['howtocook', 'yunyoujun-cook', 'indian-food-101', 'italian-giallozafferano']);
    expect(report.total.mentions).toBeGreaterThan(5000);
    expect(report.total.share).toBeGreaterThanOrEqual(0.95);
    for (const source of report.bySource) expect(source.share).toBeGreaterThanOrEqual(0.95);
  });
});
