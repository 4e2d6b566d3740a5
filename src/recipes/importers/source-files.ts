import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'fs';
import { join } from 'path';
import { readFile } from 'fs/promises';
import { ImportResult } from './importer.types';

/** Data problems are reported, but a path that does not exist is an operator mistake: fail loudly. */
export function assertPathExists(path: string, source: string): void {
  if (!existsSync(path)) {
    throw new Error(`${source} import: path not found: ${path}`);
  }
}

export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

export function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

export function readTextFile(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** Reads only the first line, for format sniffing without loading a large file. */
export function readFirstLine(path: string): string {
  if (!isFile(path)) return '';
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const bytes = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, bytes)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return text.split(/\r?\n/, 1)[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

export function emptyResult(source: string): ImportResult {
  return { source, recipes: [], origins: [], skipped: [], duplicates: [] };
}

/** Every file below `folder`, for format sniffing. */
export function listFilesSync(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
