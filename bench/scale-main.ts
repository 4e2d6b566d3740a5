import { join, relative } from 'node:path';
import { projectRoot } from '../src/config/project-root';
import { buildReport, formatReport, machineFacts, writeReportJson } from './report';
import { ServiceScaleOptions } from './scale-options';
import { ROUTE_TABLE_HEADER, runServiceScale } from './service-scale';

/**
 * `npm run bench -- --scale N`: the service end to end at a catalog size, reported like the
 * regular sections (console table + JSON), to reports/bench-scale-<N>.json. Returns the exit code.
 */
export async function runScaleBenchmark(options: ServiceScaleOptions, command: string): Promise<number> {
  const started = process.hrtime.bigint();
  const date = new Date().toISOString();
  const { sections, failure, routeTable } = await runServiceScale(options);
  const report = buildReport({
    date,
    command,
    machine: machineFacts(),
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    sections,
  });
  const out = join(projectRoot(), 'reports', `bench-scale-${options.label}.json`);
  writeReportJson(failure ? ({ ...report, stopped: failure.message } as typeof report) : report, out);
  const table = formatReport(report);
  // A stopped run has not met its targets, it has not measured them all.
  console.log(
    failure
      ? table.replace(/\nAll targets met\.$/, '\nStopped early: the targets of the phases that did not run were not measured.')
      : table,
  );
  if (routeTable.length > 0) {
    console.log(`\nlatency in ms (1c: one client, 32c: 32 clients)\n${ROUTE_TABLE_HEADER}\n${routeTable.join('\n')}`);
  }
  console.log(`\nwritten to ${relative(process.cwd(), out) || out}`);
  if (failure) {
    console.error(`\nThe scale run stopped early; the figures above are what was measured before.\n${failure.message}`);
    return 1;
  }
  // Missed targets are part of the report, not a failure of the run.
  return 0;
}
