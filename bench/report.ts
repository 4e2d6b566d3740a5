import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, relative } from 'node:path';

/** A bound a metric must stay within: `>=` for throughput, `<=` for latency. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

export interface Metric {
  /** Stable key for machines reading bench.json, e.g. `import.recipes_per_s`. */
  key: string;
  /** Human label for the table. */
  label: string;
  value: number;
  unit: string;
  target?: Target;
  /** Fractional digits in the table (default: chosen from the magnitude). */
  digits?: number;
}

export type Verdict = 'pass' | 'fail' | 'none';

/** What one part of the benchmark reports: its metrics plus any raw detail worth keeping. */
export interface SectionResult {
  id: string;
  title: string;
  metrics: Metric[];
  /** Free-form facts for bench.json (sample sizes, counts, full latency summaries). */
  details?: Record<string, unknown>;
  notes?: string[];
}

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
  totalMemoryMiB: number;
}

export interface BenchReport {
  date: string;
  command: string;
  machine: MachineFacts;
  durationMs: number;
  sections: SectionResult[];
  misses: Array<{ section: string; key: string; label: string; value: number; unit: string; target: string }>;
}

export function machineFacts(): MachineFacts {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    totalMemoryMiB: Math.round(totalmem() / 1024 / 1024),
  };
}

export function verdict(metric: Metric): Verdict {
  if (!metric.target) return 'none';
  const { op, value } = metric.target;
  return (op === '>=' ? metric.value >= value : metric.value <= value) ? 'pass' : 'fail';
}

export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const fraction = digits ?? (abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3);
  return value.toLocaleString('en-US', { minimumFractionDigits: fraction, maximumFractionDigits: fraction });
}

function formatTarget(metric: Metric): string {
  return metric.target ? `${metric.target.op} ${formatNumber(metric.target.value, metric.digits)}` : '';
}

export function buildReport(input: Omit<BenchReport, 'misses'>): BenchReport {
  const misses: BenchReport['misses'] = [];
  for (const section of input.sections) {
    for (const metric of section.metrics) {
      if (verdict(metric) !== 'fail') continue;
      misses.push({
        section: section.id,
        key: metric.key,
        label: metric.label,
        value: metric.value,
        unit: metric.unit,
        target: formatTarget(metric),
      });
    }
  }
  return { ...input, misses };
}

const MARK: Record<Verdict, string> = { pass: '✓', fail: '✗', none: '' };

/** The report as a plain-text table, one block per section, then the misses. */
export function formatReport(report: BenchReport): string {
  const header = ['metric', 'value', 'unit', 'target', 'ok'];
  const rows: Array<string[] | string> = [];
  for (const section of report.sections) {
    rows.push(section.title);
    for (const metric of section.metrics) {
      rows.push([`  ${metric.label}`, formatNumber(metric.value, metric.digits), metric.unit, formatTarget(metric), MARK[verdict(metric)]]);
    }
  }
  const cells = rows.filter((row): row is string[] => Array.isArray(row));
  const widths = header.map((title, col) => Math.max(title.length, ...cells.map((row) => row[col].length)));
  const line = (row: string[]): string =>
    row
      .map((cell, col) => (col === 1 ? cell.padStart(widths[col]) : cell.padEnd(widths[col])))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1));

  const out: string[] = [];
  out.push(`Benchmark  ${report.date}`);
  out.push(`command    ${report.command}`);
  out.push(
    `machine    ${report.machine.cpuModel}, ${report.machine.cores} cores, ${report.machine.totalMemoryMiB} MiB, ` +
      `Node ${report.machine.node} (${report.machine.platform})`,
  );
  out.push('');
  out.push(line(header));
  out.push(rule);
  for (const row of rows) {
    if (typeof row === 'string') {
      out.push(row);
    } else {
      out.push(line(row));
    }
  }
  out.push(rule);
  for (const section of report.sections) {
    for (const note of section.notes ?? []) out.push(`note (${section.id}): ${note}`);
  }
  out.push(`total ${formatNumber(report.durationMs / 1000, 1)} s`);
  out.push('');
  if (report.misses.length === 0) {
    out.push('All targets met.');
  } else {
    out.push(`MISSED ${report.misses.length} target${report.misses.length === 1 ? '' : 's'}:`);
    for (const miss of report.misses) {
      out.push(`  ✗ ${miss.section}: ${miss.label} = ${formatNumber(miss.value)} ${miss.unit} (target ${miss.target} ${miss.unit})`);
    }
  }
  return out.join('\n');
}

export function writeReportJson(report: BenchReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const withVerdicts = {
    ...report,
    sections: report.sections.map((section) => ({
      ...section,
      metrics: section.metrics.map((metric) => ({ ...metric, verdict: verdict(metric) })),
    })),
  };
  writeFileSync(path, `${JSON.stringify(withVerdicts, null, 2)}\n`);
}

/**
 * Writes the report to `path`, prints it, and gives the run's exit code: 1 when it stopped
 * early (`failure`), 0 otherwise (missed targets are part of the report, not a failure).
 */
export function publishReport(report: BenchReport, path: string, failure: unknown): number {
  writeReportJson(report, path);
  console.log(formatReport(report));
  console.log(`\nwritten to ${relative(process.cwd(), path) || path}`);
  if (failure) {
    console.error(`\nThe benchmark stopped early: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}`);
    return 1;
  }
  return 0;
}

/** p50/p95/p99 rows for one latency sample; the target, if any, applies to p50. */
export function latencyMetrics(
  key: string,
  label: string,
  summary: { p50: number; p95: number; p99: number },
  options: { p50Max?: number; percentiles?: Array<'p50' | 'p95' | 'p99'> } = {},
): Metric[] {
  const wanted = options.percentiles ?? ['p50', 'p95', 'p99'];
  return wanted.map((p) => ({
    key: `${key}.${p}_ms`,
    label: `${label} ${p}`,
    value: summary[p],
    unit: 'ms',
    digits: 3,
    ...(p === 'p50' && options.p50Max !== undefined ? { target: { op: '<=' as const, value: options.p50Max } } : {}),
  }));
}
