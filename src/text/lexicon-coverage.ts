import { RecipeInput } from '../recipes/recipe.types';
import { FoodLexicon } from './food-lexicon';
import { cleanIngredientName } from './text-normalizer';

/** What the coverage check needs of an import: the same shape as the importers' ImportResult. */
export interface CoverageInput {
  source: string;
  recipes: RecipeInput[];
}

export interface CoverageCounts {
  /** Ingredient mentions that name food (tool mentions excluded). */
  mentions: number;
  resolved: number;
  /** Mentions that named a tool (锅, 厨房纸): not food, so outside the share. */
  tools: number;
  /** resolved / mentions; 1 when there are no mentions. */
  share: number;
}

export interface UnresolvedName {
  name: string;
  count: number;
  sources: string[];
}

export interface LexiconCoverageReport {
  total: CoverageCounts;
  bySource: Array<{ source: string; recipes: number } & CoverageCounts>;
  topUnresolved: UnresolvedName[];
}

/** Share of ingredient mentions the lexicon resolves, per source and overall, with the commonest misses. */
export function computeLexiconCoverage(
  lexicon: FoodLexicon,
  imports: CoverageInput[],
  options: { top?: number } = {},
): LexiconCoverageReport {
  const unresolved = new Map<string, { count: number; sources: Set<string> }>();
  const bySource: LexiconCoverageReport['bySource'] = [];
  for (const { source, recipes } of imports) {
    const counts = { mentions: 0, resolved: 0, tools: 0 };
    for (const recipe of recipes) {
      for (const ingredient of recipe.ingredients) {
        const concept = lexicon.resolveIngredient(ingredient.name);
        if (concept?.kind === 'tool') {
          counts.tools += 1;
          continue;
        }
        counts.mentions += 1;
        if (concept) {
          counts.resolved += 1;
          continue;
        }
        const key = cleanIngredientName(ingredient.name) || ingredient.name.trim();
        const entry = unresolved.get(key) ?? { count: 0, sources: new Set<string>() };
        entry.count += 1;
        entry.sources.add(source);
        unresolved.set(key, entry);
      }
    }
    bySource.push({ source, recipes: recipes.length, ...counts, share: share(counts.resolved, counts.mentions) });
  }
  const mentions = sum(bySource.map((s) => s.mentions));
  const resolved = sum(bySource.map((s) => s.resolved));
  const tools = sum(bySource.map((s) => s.tools));
  const topUnresolved = [...unresolved.entries()]
    .map(([name, { count, sources }]) => ({ name, count, sources: [...sources].sort() }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, options.top ?? 30);
  return { total: { mentions, resolved, tools, share: share(resolved, mentions) }, bySource, topUnresolved };
}

/** Plain-text table for the CLI. */
export function formatCoverageReport(report: LexiconCoverageReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = ['Lexicon coverage of ingredient mentions (tools excluded)', ''];
  lines.push(
    `${'source'.padEnd(26)}${'recipes'.padStart(8)}${'mentions'.padStart(10)}${'resolved'.padStart(10)}${'tools'.padStart(7)}${'share'.padStart(8)}`,
  );
  for (const s of report.bySource) {
    lines.push(
      `${s.source.padEnd(26)}${String(s.recipes).padStart(8)}${String(s.mentions).padStart(10)}${String(s.resolved).padStart(10)}${String(s.tools).padStart(7)}${pct(s.share).padStart(8)}`,
    );
  }
  const t = report.total;
  lines.push(
    `${'all'.padEnd(26)}${''.padStart(8)}${String(t.mentions).padStart(10)}${String(t.resolved).padStart(10)}${String(t.tools).padStart(7)}${pct(t.share).padStart(8)}`,
  );
  if (report.topUnresolved.length > 0) {
    lines.push('', 'Most frequent unresolved names:');
    for (const u of report.topUnresolved) lines.push(`  ${String(u.count).padStart(4)}  ${u.name}  [${u.sources.join(', ')}]`);
  }
  return lines.join('\n');
}

function share(part: number, whole: number): number {
  return whole === 0 ? 1 : part / whole;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
