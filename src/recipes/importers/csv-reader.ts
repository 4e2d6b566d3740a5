import { join } from 'node:path';
import { ImportResult } from './importer.types';
import { stripBom } from './ingredient-text';
import { assertPathExists, isDirectory, readTextFile } from './source-files';

export interface CsvRecord {
  /** 1-based line where the record starts; the header is line 1. */
  line: number;
  fields: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
  /** Records whose quotes never closed: reported by the caller, not thrown. */
  broken: CsvRecord[];
}

/**
 * A small RFC 4180 reader that keeps the starting line of every record, so a skipped row can be
 * reported by the line an operator sees in an editor. Handles BOM, CRLF and quoted separators.
 */
export function readCsv(content: string, delimiter = ','): CsvTable {
  const text = stripBom(content);
  const records: CsvRecord[] = [];
  const broken: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;

  const endRecord = (): void => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };

  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        inQuotes = false;
      } else {
        if (ch === '\n') line += 1;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.length === 0) {
      inQuotes = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      continue;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (inQuotes) {
    fields.push(field);
    broken.push({ line: recordLine, fields });
  } else if (field.length > 0 || fields.length > 0) {
    endRecord();
  }

  const [head, ...rows] = records;
  return {
    header: head ? head.fields.map((name) => name.trim()) : [],
    records: rows,
    broken,
  };
}

/** True for spreadsheet padding rows such as ";;;;;;". */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.fields.every((value) => value.trim() === '');
}

/** Column positions by header name; `missing` lists required columns the header lacks. */
export function columnIndex<K extends string>(header: string[], names: readonly K[]): { index: Record<K, number>; missing: K[] } {
  const lower = header.map((name) => name.toLowerCase());
  const index = {} as Record<K, number>;
  const missing: K[] = [];
  for (const name of names) {
    const at = lower.indexOf(name.toLowerCase());
    if (at < 0) missing.push(name);
    index[name] = at;
  }
  return { index, missing };
}

export interface OpenedCsvSource<K extends string> {
  file: string;
  table: CsvTable;
  index: Record<K, number>;
}

/**
 * Reads a source's CSV (the file itself, or `fileName` inside a folder) and locates its required
 * columns. A header without them, and records with unclosed quotes, are reported in `result`
 * rather than thrown; `null` means there is nothing to import.
 */
export async function openCsvSource<K extends string>(
  path: string,
  fileName: string,
  columns: readonly K[],
  result: ImportResult,
): Promise<OpenedCsvSource<K> | null> {
  assertPathExists(path, result.source);
  const file = isDirectory(path) ? join(path, fileName) : path;
  assertPathExists(file, result.source);
  const table = readCsv(await readTextFile(file));
  const { index, missing } = columnIndex(table.header, columns);
  if (missing.length > 0) {
    result.skipped.push({ file, line: 1, reason: `header lacks column(s): ${missing.join(', ')}` });
    return null;
  }
  for (const broken of table.broken) result.skipped.push({ file, line: broken.line, reason: 'unclosed quote' });
  return { file, table, index };
}
