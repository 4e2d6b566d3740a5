import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { LabelledQuery } from '../queries/labelled-query';
import { Retriever } from './retriever';

/** The part of the search feature the evaluation calls: `search(params)` → `{ items: [{ recipe: { id } }] }`. */
interface SearchCapable {
  search(params: Record<string, unknown>): Promise<unknown>;
}

/** `similar(id, { limit })` → `{ items: [...] }` or the hit array itself. */
interface SimilarCapable {
  similar(recipeId: string, options: { limit: number }): Promise<unknown>;
}

type ServiceClass = abstract new (...args: never[]) => unknown;

export type ServiceLookup = { retriever: Retriever; note?: undefined } | { retriever?: undefined; note: string };

/** Where the compiled search feature lands next to this file (dist-eval/src/search). */
const SEARCH_DIR = join(__dirname, '..', '..', 'src', 'search');

/**
 * The service under test, called in-process on the evaluation's application context. The search
 * feature is loaded by looking at what src/search exports, so the evaluation still runs (baselines
 * only, with a note) on a tree where it is missing or not registered in the application module.
 */
export function findServiceRetriever(app: INestApplicationContext, searchDir: string = SEARCH_DIR): ServiceLookup {
  if (!existsSync(searchDir)) return { note: `src/search is not there (looked in ${searchDir}): service not evaluated` };
  const classes = new Map<string, ServiceClass>();
  for (const file of readdirSync(searchDir).sort()) {
    if (!file.endsWith('.js') || /\.(spec|e2e-spec|contract)\.js$/.test(file)) continue;
    // Loaded by path at run time: the eval finds whichever search services the build has.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(join(searchDir, file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported)) {
      if (typeof value === 'function' && /Service$/.test(name)) classes.set(name, value as ServiceClass);
    }
  }
  const searchClass = classes.get('SearchService');
  if (!searchClass)
    return { note: `src/search exports no SearchService (found: ${[...classes.keys()].join(', ') || 'none'}): service not evaluated` };
  const search = resolve<SearchCapable>(app, searchClass, 'search');
  if (!search)
    return {
      note: 'SearchService is not registered in the application context (is SearchModule imported by AppModule?): service not evaluated',
    };
  const similarClass = [...classes.entries()].find(([name]) => /^Similar/.test(name))?.[1];
  const similar =
    (similarClass && resolve<SimilarCapable>(app, similarClass, 'similar')) || resolve<SimilarCapable>(app, searchClass, 'similar');
  if (!similar) return { note: 'no registered service in src/search has similar(id, { limit }): service not evaluated' };
  return { retriever: new ServiceRetriever(search, similar) };
}

function resolve<T>(app: INestApplicationContext, type: ServiceClass, method: string): T | undefined {
  try {
    const instance = app.get(type as unknown as new () => unknown, { strict: false }) as Record<string, unknown> | undefined;
    return instance && typeof instance[method] === 'function' ? (instance as T) : undefined;
  } catch {
    return undefined;
  }
}

export class ServiceRetriever implements Retriever {
  readonly name = 'service';

  constructor(
    private readonly searchService: SearchCapable,
    private readonly similarService: SimilarCapable,
  ) {}

  async search(query: LabelledQuery, k: number): Promise<string[]> {
    return idsOf(await this.searchService.search({ q: query.q, limit: k, offset: 0, ...(query.filters ?? {}) }));
  }

  async similar(recipeId: string, k: number): Promise<string[]> {
    return idsOf(await this.similarService.similar(recipeId, { limit: k }));
  }
}

/** Ranked hits (`{ recipe: { id } }`) from a list response or a bare array. */
function idsOf(response: unknown): string[] {
  const items = Array.isArray(response) ? response : (response as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) throw new Error('search service returned no items array');
  return items.map((item) => {
    const id = (item as { recipe?: { id?: unknown } }).recipe?.id ?? (item as { id?: unknown }).id;
    if (typeof id !== 'string') throw new Error('a ranked hit has no recipe id');
    return id;
  });
}
