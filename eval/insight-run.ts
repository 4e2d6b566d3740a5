import 'reflect-metadata';
import { openEvalApp } from './eval-catalog';
import { evaluateFamilies, familyTable } from './insight/family-evaluation';

async function main(): Promise<void> {
  const evalApp = await openEvalApp();
  try {
    const t0 = Date.now();
    const { scores, state } = await evaluateFamilies(evalApp.app, evalApp.catalog);
    process.stdout.write(familyTable(scores) + '\n');
    for (const f of state.insight.families) process.stdout.write(`${f.id} ${f.size} ${f.spread.toFixed(3)} ${f.label.zh} | ${f.label.en} :: ${f.members.slice(0, 5).map((m) => state.insight.facts.get(m)!.name).join(', ')}\n`);
    process.stdout.write(`took ${Date.now() - t0} ms\n`);
  } finally {
    await evalApp.close();
  }
}
void main();
