import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

/**
 * `src/` holds what the service runs, and unit specs beside it. Test suites shared between specs
 * (the vector store contract), fixtures and test stubs live under `test/`, evaluation baselines
 * and metrics under `eval/`: code there may change with a test or a benchmark without touching
 * the service, and `npm run build` never compiles it.
 */
const SRC = join(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const TEST_FILE_NAME = /\.(fixtures?|contract|stub|fake|mock)\.ts$/;
const TEST_IMPORT = /from '(@jest\/globals|jest|[^']*\/(test|eval)\/[^']*)'/;
const TEST_CALL = /^\s*(describe|it|test)\(\s*['"`]|\bexpect\(/m;

describe('production sources', () => {
  const files = sources(SRC);

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('names no source as a fixture, contract suite or stub', () => {
    expect(files.filter((file) => TEST_FILE_NAME.test(file)).map((file) => relative(SRC, file))).toEqual([]);
  });

  it('has no source that imports test or evaluation code, or runs test cases', () => {
    const offending = files
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return TEST_IMPORT.test(text) || TEST_CALL.test(text);
      })
      .map((file) => relative(SRC, file));
    expect(offending).toEqual([]);
  });
});
