import type { Schemas } from '@qdrant/js-client-rest';
import type { RecipeFilter } from '../vector-store.port';
import { recipePointId } from './point-id';

type Condition = Schemas['Condition'];

/** Payload fields the adapter filters on, with the index type each needs in Qdrant. */
export const PAYLOAD_INDEXES: ReadonlyArray<{ field: string; schema: Schemas['PayloadSchemaType'] }> = [
  { field: 'recipeId', schema: 'keyword' },
  { field: 'source', schema: 'keyword' },
  { field: 'language', schema: 'keyword' },
  { field: 'category', schema: 'keyword' },
  { field: 'cuisine', schema: 'keyword' },
  { field: 'diets', schema: 'keyword' },
  { field: 'allergens', schema: 'keyword' },
  { field: 'concepts', schema: 'keyword' },
  // float rather than integer: an integer index silently skips fractional values, which would
  // drop such recipes from every maxMinutes filter.
  { field: 'totalMinutes', schema: 'float' },
];

const present = (list: string[] | undefined): list is string[] => list !== undefined && list.length > 0;

/**
 * RecipeFilter → Qdrant Filter. Lists are OR within a field (`match.any`) and AND across fields
 * (`must`); every listed diet is its own `match.value` so all must hold; exclusions go to
 * `must_not`. Ids are matched on point ids (`has_id`), which are derived from recipe ids.
 * Returns undefined when nothing is constrained. `ids: []` must be handled by the caller.
 */
export function toQdrantFilter(filter: RecipeFilter | undefined, extraExcludedIds: string[] = []): Schemas['Filter'] | undefined {
  const must: Condition[] = [];
  const mustNot: Condition[] = [];
  const anyOf = (key: string, values: string[] | undefined): void => {
    if (present(values)) must.push({ key, match: { any: values } });
  };
  if (filter?.ids !== undefined) must.push({ has_id: filter.ids.map(recipePointId) });
  const excluded = [...(filter?.excludeIds ?? []), ...extraExcludedIds];
  if (excluded.length > 0) mustNot.push({ has_id: [...new Set(excluded)].map(recipePointId) });
  anyOf('source', filter?.sources);
  anyOf('language', filter?.languages);
  anyOf('category', filter?.categories);
  anyOf('cuisine', filter?.cuisines);
  for (const diet of new Set(filter?.diets ?? [])) must.push({ key: 'diets', match: { value: diet } });
  if (present(filter?.excludeAllergens)) mustNot.push({ key: 'allergens', match: { any: filter.excludeAllergens } });
  if (present(filter?.excludeConcepts)) mustNot.push({ key: 'concepts', match: { any: filter.excludeConcepts } });
  if (filter?.maxMinutes !== undefined) {
    const withinTime: Condition = { key: 'totalMinutes', range: { lte: filter.maxMinutes } };
    // is_empty (documented as: field missing, null or []) lets recipes without a known time
    // through; is_null alone would miss points written without the field.
    must.push(filter.requireMinutes ? withinTime : { should: [withinTime, { is_empty: { key: 'totalMinutes' } }] });
  } else if (filter?.requireMinutes) {
    mustNot.push({ is_empty: { key: 'totalMinutes' } });
  }
  if (must.length === 0 && mustNot.length === 0) return undefined;
  return { ...(must.length > 0 ? { must } : {}), ...(mustNot.length > 0 ? { must_not: mustNot } : {}) };
}
