import { EvalRecipe } from '../eval-recipe';

/**
 * Relevance and constraint rules: predicates over a stored recipe and its analysis, each with the
 * text the report prints. Rules read the sources' own labels (category folder, course, tags,
 * methods, tools, flavor, region, diet, time) and the resolved ingredient concepts, never a
 * retrieval result.
 */
export interface Rule {
  readonly text: string;
  test(recipe: EvalRecipe): boolean;
}

export function rule(text: string, test: (recipe: EvalRecipe) => boolean): Rule {
  return { text, test };
}

/** Some ingredient is the concept or narrower (has('chicken') holds for chicken wings). */
export function has(...concepts: string[]): Rule {
  return rule(`ingredient ⊑ ${concepts.join('|')}`, (r) => concepts.some((c) => r.conceptClosure.has(c)));
}

/** No ingredient is the concept or narrower. */
export function lacks(...concepts: string[]): Rule {
  return rule(`no ingredient ⊑ ${concepts.join('|')}`, (r) => !concepts.some((c) => r.conceptClosure.has(c)));
}

/** No ingredient belongs to the allergen group. */
export function freeOfAllergen(...groups: string[]): Rule {
  return rule(`no allergen ${groups.join('|')}`, (r) => !groups.some((g) => r.allergens.includes(g)));
}

export function all(...rules: Rule[]): Rule {
  return rule(rules.map((x) => x.text).join(' AND '), (r) => rules.every((x) => x.test(r)));
}

export function any(...rules: Rule[]): Rule {
  return rule(`(${rules.map((x) => x.text).join(' OR ')})`, (r) => rules.some((x) => x.test(r)));
}

export function not(inner: Rule): Rule {
  return rule(`NOT ${inner.text}`, (r) => !inner.test(r));
}

export function fromSource(...sources: string[]): Rule {
  return rule(`source ∈ {${sources.join(', ')}}`, (r) => sources.includes(r.source));
}

/** The source's category slug: HowToCook folder, Indian course, Italian category. */
export function inCategory(...slugs: string[]): Rule {
  return rule(`category ∈ {${slugs.join(', ')}}`, (r) => r.category !== null && slugs.includes(r.category));
}

export function cuisineIs(...cuisines: string[]): Rule {
  return rule(`cuisine ∈ {${cuisines.join(', ')}}`, (r) => r.cuisine !== null && cuisines.includes(r.cuisine));
}

/** Indian Food 101 region column. */
export function regionIs(...regions: string[]): Rule {
  return rule(`region ∈ {${regions.join(', ')}}`, (r) => r.region !== null && regions.includes(r.region));
}

/** Source tags (YunYouJun tags; HowToCook's Chinese category tag; Indian state and region). */
export function tagged(...tags: string[]): Rule {
  return rule(`tag ∈ {${tags.join(', ')}}`, (r) => r.tags.some((t) => tags.includes(t)));
}

/** Source cooking methods (YunYouJun 炸/炒/蒸…, GialloZafferano preparations). */
export function methodIs(...methods: string[]): Rule {
  const wanted = methods.map((m) => m.toLowerCase());
  return rule(`method ∈ {${methods.join(', ')}}`, (r) => r.methods.some((m) => wanted.includes(m.toLowerCase())));
}

/** Source tools (YunYouJun 空气炸锅/烤箱/微波炉/电饭煲). */
export function toolIs(...tools: string[]): Rule {
  return rule(`tool ∈ {${tools.join(', ')}}`, (r) => r.tools.some((t) => tools.includes(t)));
}

/** Indian Food 101 flavor_profile. */
export function flavorIs(...flavors: string[]): Rule {
  return rule(`flavor ∈ {${flavors.join(', ')}}`, (r) => r.flavors.some((f) => flavors.includes(f)));
}

/** The dish name matches: used only for dish types no label carries (soups outside HowToCook's soup folder). */
export function nameMatches(pattern: RegExp): Rule {
  return rule(`name ~ ${pattern.source}`, (r) => pattern.test(r.name));
}

/** Known time within the limit. */
export function withinMinutes(limit: number): Rule {
  return rule(`totalMinutes ≤ ${limit}`, (r) => r.totalMinutes !== null && r.totalMinutes <= limit);
}

/** Constraint form of a time limit: only a known time over the limit violates it. */
export function notOverMinutes(limit: number): Rule {
  return rule(`NOT totalMinutes > ${limit}`, (r) => r.totalMinutes === null || r.totalMinutes <= limit);
}

/**
 * Vegetarian by the source's own diet column where it has one (Indian Food 101), otherwise by the
 * resolved ingredients: no meat, fish or seafood concept.
 */
export const vegetarian: Rule = rule('vegetarian (source diet, else no meat/seafood ingredient)', (r) =>
  r.source === 'indian-food-101' ? r.sourceDiets.includes('vegetarian') : !r.conceptClosure.has('meat') && !r.conceptClosure.has('seafood'),
);

/** Soups and broths: HowToCook's soup folder, YunYouJun's 汤 tag, or a soup word in the dish name. */
export const soupLike: Rule = rule(
  'soup-like (category soup | tag 汤 | name ~ 汤|羹|soup|shorba|rasam|zuppa|brodo)',
  (r) => r.category === 'soup' || r.tags.includes('汤') || /汤|羹|soup|shorba|rasam|zuppa|brodo|minestr/i.test(r.name),
);

/** Desserts: the dessert category of HowToCook (甜品) or Indian Food 101 (course). */
export const dessertLike: Rule = rule('category dessert', (r) => r.category === 'dessert');
