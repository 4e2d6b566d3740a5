import { readdir } from 'fs/promises';
import { basename, dirname, join, relative, sep } from 'path';
import { parseHowToCookDish } from './howtocook-dish.parser';
import { ImportResult, RecipeImporter } from './importer.types';
import { assertPathExists, emptyResult, isDirectory, isFile, listFilesSync, readTextFile } from './source-files';

/** Files that travel with the data but are not dishes. */
const NOT_DISHES = new Set(['readme.md', 'attribution.md', 'contributing.md', 'license.md']);

function isDishFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.md') && !NOT_DISHES.has(lower);
}

/**
 * Imports HowToCook dish files: the repository folder (with `dishes/`), the `dishes/` folder, a
 * category folder or a single `.md` file. The sourceId is the path below the repository root,
 * so it stays the same whichever of those the operator points at.
 */
export class HowToCookMarkdownImporter implements RecipeImporter {
  readonly source = 'howtocook';

  accepts(path: string): boolean {
    if (isFile(path)) return isDishFileName(basename(path));
    if (!isDirectory(path)) return false;
    return isDirectory(join(path, 'dishes')) || listFilesSync(path).some((file) => isDishFileName(basename(file)));
  }

  async import(path: string): Promise<ImportResult> {
    assertPathExists(path, this.source);
    const result = emptyResult(this.source);
    const root = repositoryRoot(path);
    const files = isFile(path) ? [path] : await listMarkdown(isDirectory(join(path, 'dishes')) ? join(path, 'dishes') : path);

    for (const file of files) {
      const sourceId = relative(root, file).split(sep).join('/');
      const markdown = await readTextFile(file);
      const parsed = parseHowToCookDish(markdown, { sourceId, categoryFolder: categoryFolderOf(sourceId) });
      if (typeof parsed === 'string') result.skipped.push({ file, reason: parsed });
      else {
        result.recipes.push(parsed);
        result.origins.push({ file });
      }
    }
    return result;
  }
}

/** Walks up to the folder holding `dishes/`; without one, the given folder (or the file's folder) is the root. */
function repositoryRoot(path: string): string {
  const start = isFile(path) ? dirname(path) : path;
  let current = start;
  for (;;) {
    if (basename(current) === 'dishes') return dirname(current);
    const parent = dirname(current);
    if (parent === current) return start;
    current = parent;
  }
}

function categoryFolderOf(sourceId: string): string | undefined {
  const parts = sourceId.split('/');
  const index = parts.indexOf('dishes');
  return index >= 0 && parts.length > index + 2 ? parts[index + 1] : undefined;
}

/** Sorted so that imports (and the order of reported issues) are the same on every run. */
async function listMarkdown(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && isDishFileName(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
