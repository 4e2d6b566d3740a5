import { Ingredient, RecipeInput } from '../src/recipes/recipe.types';
import { SeededRandom } from '../src/common/seeded-random';

/** What one (cuisine, category) group of the seed looks like. */
interface GroupStats {
  ingredientCounts: number[];
  /** Ingredient names weighted by how many of the group's recipes use them. */
  frequent: WeightedList;
  /** How many of the group's recipes use each ingredient, by `nameKey`. */
  documentFrequency: Map<string, number>;
  /** For each ingredient name, the names it shares recipes with, weighted by how often. */
  cooccurring: Map<string, WeightedList>;
  minutes: Array<number | undefined>;
  flavors: string[][];
  methods: string[][];
}

interface WeightedList {
  items: string[];
  /** Running totals of the weights, for sampling by binary search. */
  cumulative: number[];
}

const groupKey = (recipe: RecipeInput): string => `${recipe.cuisine ?? '-'}|${recipe.category ?? '-'}`;
const nameKey = (name: string): string => name.trim().toLowerCase();

/**
 * A catalog of any size drawn from the seed's own statistics, for measuring search at scale.
 * Per (cuisine, category) group it learns the distribution of ingredient counts and which
 * ingredients share recipes; a synthetic recipe takes a seed recipe of some group as template,
 * keeps a random part of its ingredients, fills up to a count drawn from the group by adding
 * ingredients that co-occur with the kept ones, and draws time, flavors and methods from the
 * same group. Deterministic for a seed.
 *
 * Names: a quarter of the recipes keep the template's name (real catalogs hold many recipes of
 * the same dish); the others are named after the template and their most distinctive added
 * ingredient ("土豆红烧肉", "Chicken curry with spinach"), so a large catalog does not turn every
 * dish name into hundreds of same-named twins. Language, category, cuisine, claimed diets, tags,
 * steps and difficulty come from the template, so their mix follows the seed's.
 */
export class SyntheticCatalog {
  private constructor(
    private readonly templates: RecipeInput[],
    private readonly groups: Map<string, GroupStats>,
  ) {}

  static learn(seed: readonly RecipeInput[]): SyntheticCatalog {
    const templates = seed.filter((recipe) => recipe.ingredients.length > 0);
    const byGroup = new Map<string, RecipeInput[]>();
    for (const recipe of templates) {
      const key = groupKey(recipe);
      const members = byGroup.get(key) ?? [];
      members.push(recipe);
      byGroup.set(key, members);
    }
    const groups = new Map<string, GroupStats>();
    for (const [key, members] of byGroup) groups.set(key, learnGroup(members));
    return new SyntheticCatalog(templates, groups);
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /** Recipes `from`..`from + count - 1` of the catalog drawn with `seed`; the same arguments give the same recipes. */
  generate(seed: number, from: number, count: number, idPrefix: string): RecipeInput[] {
    const out: RecipeInput[] = [];
    for (let i = from; i < from + count; i++) out.push(this.recipe(new SeededRandom(mix(seed, i)), `${idPrefix}${i}`));
    return out;
  }

  private recipe(rng: SeededRandom, sourceId: string): RecipeInput {
    const template = this.templates[rng.nextInt(this.templates.length)];
    const group = this.groups.get(groupKey(template))!;
    const target = Math.max(1, pick(rng, group.ingredientCounts));

    const shuffled = [...template.ingredients];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const keep = Math.max(1, Math.round(Math.min(target, shuffled.length) * (0.5 + 0.4 * rng.next())));
    const ingredients: Ingredient[] = shuffled.slice(0, keep).map((i) => ({ name: i.name, quantity: i.quantity, optional: i.optional }));
    const names = new Set(ingredients.map((i) => nameKey(i.name)));
    for (let attempt = 0; ingredients.length < target && attempt < 3 * target; attempt++) {
      const anchor = ingredients[rng.nextInt(ingredients.length)];
      const partners = group.cooccurring.get(nameKey(anchor.name));
      const name = partners && partners.items.length > 0 ? sample(rng, partners) : sample(rng, group.frequent);
      if (names.has(nameKey(name))) continue;
      names.add(nameKey(name));
      ingredients.push({ name });
    }

    return {
      name: rng.next() < KEEP_NAME_SHARE ? template.name : variantName(template, ingredients.slice(keep), group),
      source: template.source,
      sourceId,
      ingredients,
      language: template.language,
      category: template.category,
      cuisine: template.cuisine,
      diets: template.diets,
      tags: template.tags,
      steps: template.steps,
      difficulty: template.difficulty,
      flavors: pick(rng, group.flavors),
      methods: rng.next() < 0.5 ? template.methods : pick(rng, group.methods),
      totalMinutes: pick(rng, group.minutes),
    };
  }
}

const KEEP_NAME_SHARE = 0.25;
const CJK = /[\u4e00-\u9fff]/;

/** The template's name with the added ingredient the fewest of the group's recipes use; the name alone when nothing was added. */
function variantName(template: RecipeInput, added: readonly Ingredient[], group: GroupStats): string {
  let rarest: string | null = null;
  let rarestCount = Number.POSITIVE_INFINITY;
  for (const ingredient of added) {
    const count = group.documentFrequency.get(nameKey(ingredient.name)) ?? 0;
    if (count < rarestCount) [rarest, rarestCount] = [ingredient.name.trim(), count];
  }
  if (rarest === null) return template.name;
  if (CJK.test(template.name)) return CJK.test(rarest) && rarest.length <= 4 ? `${rarest}${template.name}` : template.name;
  return `${template.name} with ${rarest.toLowerCase()}`;
}

function learnGroup(members: RecipeInput[]): GroupStats {
  const frequency = new Map<string, { name: string; count: number }>();
  const pairs = new Map<string, Map<string, number>>();
  for (const recipe of members) {
    const names = [...new Map(recipe.ingredients.map((i) => [nameKey(i.name), i.name.trim()])).entries()];
    for (const [key, name] of names) {
      const entry = frequency.get(key) ?? { name, count: 0 };
      entry.count++;
      frequency.set(key, entry);
    }
    for (const [a] of names) {
      const row = pairs.get(a) ?? new Map<string, number>();
      for (const [b, nameB] of names) if (b !== a) row.set(nameB, (row.get(nameB) ?? 0) + 1);
      pairs.set(a, row);
    }
  }
  const cooccurring = new Map<string, WeightedList>();
  for (const [key, row] of pairs) cooccurring.set(key, weighted([...row.entries()]));
  return {
    ingredientCounts: members.map((r) => new Set(r.ingredients.map((i) => nameKey(i.name))).size),
    frequent: weighted([...frequency.values()].map((e) => [e.name, e.count])),
    documentFrequency: new Map([...frequency.entries()].map(([key, e]) => [key, e.count])),
    cooccurring,
    minutes: members.map((r) => r.totalMinutes),
    flavors: members.map((r) => r.flavors ?? []),
    methods: members.map((r) => r.methods ?? []),
  };
}

function weighted(entries: Array<[string, number]>): WeightedList {
  // Sorted so the list does not depend on Map insertion order beyond the seed's own order.
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0;
  return { items: entries.map((e) => e[0]), cumulative: entries.map((e) => (total += e[1])) };
}

function sample(rng: SeededRandom, list: WeightedList): string {
  const target = rng.next() * list.cumulative[list.cumulative.length - 1];
  let lo = 0;
  let hi = list.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return list.items[lo];
}

function pick<T>(rng: SeededRandom, list: readonly T[]): T {
  return list[rng.nextInt(list.length)];
}

/** One independent stream per recipe, so any slice of the catalog can be generated on its own. */
function mix(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}
