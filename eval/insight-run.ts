import 'reflect-metadata';
import { openEvalApp } from './eval-catalog';
import { findTwins } from './similar-agreement';
import { duplicateScore } from '../src/catalog-insight/near-duplicates';
import { CatalogInsightService } from '../src/catalog-insight/catalog-insight.service';

async function main(): Promise<void> {
  const evalApp = await openEvalApp();
  try {
    const state = await evalApp.app.get(CatalogInsightService).settled();
    const { insight } = state;
    const name = (id: string) => `${insight.facts.get(id)!.name} [${insight.facts.get(id)!.source}]`;
    const twins = findTwins(evalApp.catalog);
    const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
    const proposed = new Map(insight.duplicates.map((p) => [pairKey(p.a, p.b), p]));
    const mode = process.argv[2];
    if (mode === 'dups') {
      const found = twins.filter((t) => proposed.has(pairKey(t.a, t.b))).length;
      process.stdout.write(`pairs ${insight.duplicates.length}, cross ${insight.duplicates.filter((p) => p.crossSource).length}, twins ${twins.length}, found ${found}\n`);
      const missed = twins.filter((t) => !proposed.has(pairKey(t.a, t.b)));
      for (const t of twins) {
        const fa = insight.facts.get(t.a)!;
        const fb = insight.facts.get(t.b)!;
        const e = duplicateScore({ ...fa, ...fa.duplicate, family: null }, { ...fb, ...fb.duplicate, family: null }, insight.nameWeight);
        if (process.argv[4] !== 'all') process.stdout.write(`twin ${t.name} ${e.score.toFixed(2)} v${e.vector.toFixed(2)} i${e.ingredients.toFixed(2)} n${e.name.toFixed(2)} | ${fa.duplicate.ingredients.join(',')} || ${fb.duplicate.ingredients.join(',')}\n`);
      }
      const nonTwin = insight.duplicates.filter((p) => insight.facts.get(p.a)!.duplicate.nameKey !== insight.facts.get(p.b)!.duplicate.nameKey);
      process.stdout.write(`non-same-name pairs ${nonTwin.length}\n`);
      if (process.argv[4] === 'all') {
        insight.duplicates.forEach((p, i) => {
          if (i % 2 !== 0) return;
          const fa = insight.facts.get(p.a)!;
          const fb = insight.facts.get(p.b)!;
          const e = evalApp.catalog.byId;
          process.stdout.write(`#${i} ${p.score.toFixed(3)} ${fa.name} [${fa.source}:${e.get(p.a)!.key}] {${e.get(p.a)!.ingredientNames.join(',')}} <> ${fb.name} [${fb.source}:${e.get(p.b)!.key}] {${e.get(p.b)!.ingredientNames.join(',')}}\n`);
        });
      }
      for (const p of nonTwin.slice(0, Number(process.argv[3] ?? 60)))
        process.stdout.write(`${p.score.toFixed(3)} v${p.evidence.vector.toFixed(2)} i${p.evidence.ingredients.toFixed(2)} n${p.evidence.name.toFixed(2)} | ${name(p.a)} <> ${name(p.b)}\n`);
    } else {
      const counts = new Map<string, number>();
      for (const r of insight.recipes.values()) for (const a of r.anomalies) counts.set(a.code, (counts.get(a.code) ?? 0) + 1);
      process.stdout.write(`far threshold ${insight.farFromFamilies.toFixed(3)} ${JSON.stringify([...counts])}\n`);
      for (const { id } of insight.flagged.slice(0, 400)) {
        const a = insight.recipes.get(id)!.anomalies.filter((x) => x.code !== 'DUPLICATE');
        if (a.length) process.stdout.write(`${name(id)}: ${a.map((x) => `${x.code} ${x.score.toFixed(2)} ${x.message}`).join(' / ')}\n`);
      }
    }
  } finally {
    await evalApp.close();
  }
}
void main();
