import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import allergens from './lexicon/allergens.json';
import courses from './lexicon/courses.json';
import cuisines from './lexicon/cuisines.json';
import diets from './lexicon/diets.json';
import dishes from './lexicon/dishes.json';
import flavors from './lexicon/flavors.json';
import pantry from './lexicon/ingredients-pantry.json';
import produce from './lexicon/ingredients-produce.json';
import protein from './lexicon/ingredients-protein.json';
import seasoning from './lexicon/ingredients-seasoning.json';
import methods from './lexicon/methods.json';
import tools from './lexicon/tools.json';
import { Concept, ConceptKind, DishConcept } from './text.types';
import { cleanIngredientName, englishWords, hasCjk, splitIngredientList, surfaceKey, withoutNameNotes } from './text-normalizer';

export const CONCEPT_KINDS: readonly ConceptKind[] = ['ingredient', 'flavor', 'method', 'course', 'cuisine', 'diet', 'allergen', 'tool'];
/** Kinds of words a dish name is read for (see foodsNamedIn): not diets or allergen words. */
const NAME_WORD_KINDS: ReadonlySet<ConceptKind> = new Set<ConceptKind>(['ingredient', 'flavor', 'method', 'course', 'cuisine', 'tool']);
const INGREDIENT_ONLY: ReadonlySet<ConceptKind> = new Set<ConceptKind>(['ingredient']);
/** The words before a refused one in a dish name (see refusedIn). */
const ZH_NAME_REFUSAL = /(?:无|不含|不加|不放|不要|去掉|去除)$/;
export const ALLERGEN_GROUPS = ['peanut', 'tree-nut', 'dairy', 'egg', 'gluten', 'shellfish', 'fish', 'soy', 'sesame'] as const;

/**
 * The built-in lexicon files, imported rather than read from disk so the compiler copies them into
 * the build next to this class.
 */
export const BUILT_IN_LEXICON: readonly LexiconSource[] = Object.entries({
  'ingredients-protein.json': protein,
  'ingredients-produce.json': produce,
  'ingredients-pantry.json': pantry,
  'ingredients-seasoning.json': seasoning,
  'flavors.json': flavors,
  'methods.json': methods,
  'courses.json': courses,
  'cuisines.json': cuisines,
  'diets.json': diets,
  'allergens.json': allergens,
  'tools.json': tools,
  'dishes.json': dishes,
}).map(([name, data]) => ({ name: `lexicon/${name}`, data: data as unknown as LexiconFile }));
/** Optional operator file (or folder of files), merged over the built-in lexicon. */
export const LEXICON_EXTRA_PATH_ENV = 'LEXICON_EXTRA_PATH';

/** One lexicon JSON file: concepts of one kind (or each concept names its own), and/or well-known dishes. */
export interface LexiconFile {
  kind?: ConceptKind;
  concepts?: Array<Omit<Concept, 'kind'> & { kind?: ConceptKind }>;
  dishes?: DishConcept[];
}

export interface LexiconSource {
  /** Where the data came from, for error messages. */
  name: string;
  data: LexiconFile;
}

export class LexiconValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Food lexicon is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'LexiconValidationError';
  }
}

/** Kinds an ingredient line can resolve to; a tool is recognised so it can be left out. */
const INGREDIENT_KINDS: ReadonlySet<ConceptKind> = new Set<ConceptKind>(['ingredient', 'tool', 'allergen']);

interface OwnedSurface {
  concept: Concept;
  origin: string;
}

/**
 * The bilingual food vocabulary: canonical concepts with their Chinese and English surface forms,
 * broader concepts, allergen groups and staple flags. Loaded and validated once; every lookup after
 * that is a map read.
 */
export class FoodLexicon {
  private readonly concepts = new Map<string, Concept>();
  private readonly bySurface = new Map<string, Concept>();
  private readonly dishesById = new Map<string, DishConcept>();
  private readonly dishBySurface = new Map<string, DishConcept>();
  private readonly ancestorCache = new Map<string, string[]>();
  private readonly childrenById = new Map<string, string[]>();
  private readonly byCategory = new Map<string, Concept>();
  private maxCjkKeyLength = 1;
  private maxEnglishKeyWords = 1;

  constructor(sources: LexiconSource[]) {
    const problems: string[] = [];
    const { concepts, dishes } = this.merge(sources, problems);
    const owners = new Map<string, OwnedSurface>();
    for (const { concept, origin } of concepts.values()) {
      this.validateConcept(concept, origin, problems);
      this.concepts.set(concept.id, concept);
      for (const surface of [...concept.zh, ...concept.en]) {
        const key = surfaceKey(surface);
        if (key.length === 0) continue;
        const owner = owners.get(key);
        if (owner && owner.concept.id !== concept.id) {
          problems.push(
            `surface form "${surface}" belongs to both "${owner.concept.id}" (${owner.origin}) and "${concept.id}" (${origin})`,
          );
          continue;
        }
        owners.set(key, { concept, origin });
        this.bySurface.set(key, concept);
        this.trackKeyLength(key);
      }
      if (concept.kind === 'course') this.byCategory.set(concept.category ?? concept.id, concept);
    }
    for (const concept of this.concepts.values()) {
      for (const parent of concept.parents ?? []) {
        if (!this.concepts.has(parent)) problems.push(`"${concept.id}" names unknown parent "${parent}"`);
        else this.childrenById.set(parent, [...(this.childrenById.get(parent) ?? []), concept.id]);
      }
    }
    for (const dish of dishes) this.addDish(dish, owners, problems);
    this.checkCycles(problems);
    if (problems.length > 0) throw new LexiconValidationError(problems);
  }

  /** The built-in lexicon plus, when `LEXICON_EXTRA_PATH` is set, the operator's file or folder merged over it. */
  static load(extraPath: string | undefined = process.env[LEXICON_EXTRA_PATH_ENV]): FoodLexicon {
    const sources = [...BUILT_IN_LEXICON];
    if (extraPath) {
      if (!existsSync(extraPath)) throw new LexiconValidationError([`${LEXICON_EXTRA_PATH_ENV} points to missing ${extraPath}`]);
      sources.push(...readLexiconSources(extraPath));
    }
    return new FoodLexicon(sources);
  }

  get(id: string): Concept | undefined {
    return this.concepts.get(id);
  }

  has(id: string): boolean {
    return this.concepts.has(id);
  }

  all(kind?: ConceptKind): Concept[] {
    const list = [...this.concepts.values()];
    return kind ? list.filter((c) => c.kind === kind) : list;
  }

  dishes(): DishConcept[] {
    return [...this.dishesById.values()];
  }

  /** Exact lookup by any surface form: case-insensitive, plural-folded English; full-width forms folded. */
  lookup(surface: string, kinds?: ReadonlySet<ConceptKind>): Concept | undefined {
    const concept = this.bySurface.get(surfaceKey(surface));
    return concept && (!kinds || kinds.has(concept.kind)) ? concept : undefined;
  }

  /**
   * The known dish a name or phrase names: exactly, or once its bracketed notes are set aside, as
   * the same-dish rule does (宫保鸡丁（家常版） is 宫保鸡丁, made with peanuts like it).
   */
  lookupDish(surface: string): DishConcept | undefined {
    return this.dishBySurface.get(surfaceKey(surface)) ?? this.dishBySurface.get(surfaceKey(withoutNameNotes(surface)));
  }

  /** The course concept of a recipe category slug ("seafood" → seafood-dish), or a course named by that word. */
  courseForCategory(category: string): Concept | undefined {
    return this.byCategory.get(category.trim().toLowerCase()) ?? this.lookup(category, new Set(['course']));
  }

  /** The recipe category slug a course concept stands for. */
  categoryOf(concept: Concept): string {
    return concept.category ?? concept.id;
  }

  /** Broader concepts, nearest first, without the concept itself. */
  ancestors(id: string): string[] {
    const cached = this.ancestorCache.get(id);
    if (cached) return cached;
    const seen = new Set<string>();
    const queue = [...(this.concepts.get(id)?.parents ?? [])];
    while (queue.length > 0) {
      const next = queue.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.concepts.get(next)?.parents ?? []));
    }
    const result = [...seen];
    this.ancestorCache.set(id, result);
    return result;
  }

  /** Narrower concepts, transitively, without the concept itself. */
  descendants(id: string): string[] {
    const result = new Set<string>();
    const queue = [...(this.childrenById.get(id) ?? [])];
    while (queue.length > 0) {
      const next = queue.shift() as string;
      if (result.has(next)) continue;
      result.add(next);
      queue.push(...(this.childrenById.get(next) ?? []));
    }
    return [...result];
  }

  /** True when `id` is `ancestorId` or narrower than it. */
  isA(id: string, ancestorId: string): boolean {
    return id === ancestorId || this.ancestors(id).includes(ancestorId);
  }

  /** True when `id` is one of `ancestorIds` or narrower than one. */
  isAnyOf(id: string, ancestorIds: readonly string[]): boolean {
    return ancestorIds.length > 0 && ancestorIds.some((ancestor) => this.isA(id, ancestor));
  }

  /**
   * Staples are inherited: rock salt is salt, ice is water. The nearest concept that says wins, so
   * a narrower food can say it is not one (honey and jaggery are sugars for 无糖, not a pantry's
   * white sugar).
   */
  isStaple(id: string): boolean {
    for (const c of [id, ...this.ancestors(id)]) {
      const staple = this.concepts.get(c)?.staple;
      if (staple !== undefined) return staple;
    }
    return false;
  }

  /** Allergen groups of a concept, its own and its broader concepts' (shrimp → shellfish). */
  allergensOf(id: string): string[] {
    return this.inherited(id, (c) => c.allergens);
  }

  /**
   * The allergen groups an exclusion of `concept` rules out besides the concept itself: those
   * an allergen word stands for (nut allergens → tree-nut), or the group a food is named for
   * ("peanut", "shellfish", 鱼), so what the lexicon files elsewhere (oyster sauce, fish sauce)
   * cannot slip by. A broader word names what its narrower words name (海鲜 / "seafood": fish and
   * shellfish, so oyster sauce too), and a word may name groups it is not called after
   * (`namesAllergens`: 坚果 / "nuts" → tree-nut and peanut, as the nut-free diet has it). The same
   * for an exclusion as a request parameter and in a query's text.
   */
  allergenGroupsNamedBy(concept: Pick<Concept, 'id' | 'kind' | 'allergens' | 'namesAllergens'>): string[] {
    const groups = new Set<string>(concept.kind === 'allergen' ? (concept.allergens ?? []) : []);
    concept.namesAllergens?.forEach((group) => groups.add(group));
    for (const id of [concept.id, ...this.descendants(concept.id)]) {
      if ((ALLERGEN_GROUPS as readonly string[]).includes(id)) groups.add(id);
      if (id !== concept.id) this.concepts.get(id)?.namesAllergens?.forEach((group) => groups.add(group));
    }
    return [...groups];
  }

  /**
   * The allergen groups an allergy to `concept` rules out: those it names (see
   * allergenGroupsNamedBy), declares or inherits (soy-product → soy, shrimp → shellfish), and
   * those anything narrower declares (海鲜 → fish and shellfish), and those the word's everyday
   * sense adds (`allergyAlso`: 坚果 → peanut). The group, not just the
   * concept, because the lexicon files many foods elsewhere: soy sauce, oyster sauce and pesto
   * are sauces, not soy, seafood or nuts.
   */
  allergenGroupsWithin(concept: Pick<Concept, 'id' | 'kind' | 'allergens' | 'allergyAlso' | 'namesAllergens'>): string[] {
    const groups = new Set<string>([...this.allergenGroupsNamedBy(concept), ...(concept.allergyAlso ?? [])]);
    for (const id of [concept.id, ...this.descendants(concept.id)]) for (const group of this.allergensOf(id)) groups.add(group);
    return [...groups];
  }

  /** Diets a concept rules out, its own and its broader concepts' (chicken → meat → vegetarian, vegan…). */
  breaksDiets(id: string): string[] {
    return this.inherited(id, (c) => c.breaksDiets);
  }

  /** Chinese surface forms of every concept and dish, for the segmenter's user dictionary. */
  chineseSurfaceForms(): string[] {
    const forms = new Set<string>();
    for (const concept of this.concepts.values()) concept.zh.forEach((z) => forms.add(z));
    for (const dish of this.dishesById.values()) dish.zh.forEach((z) => forms.add(z));
    return [...forms].filter((f) => hasCjk(f) && !/\s/.test(f));
  }

  /**
   * The ingredients a dish name names, each with the words that name it. The name is read for
   * its longest known words of any kind: an ingredient names itself; a tool, or a word marked
   * `namesNoFood` (鱼香, 电饭煲, 下饭), names nothing; any other word names the foods it holds
   * (蒜香 garlic, 炒饭 rice, 糖醋 sugar and vinegar). Read for ingredients alone, 电饭煲版卤鸡翅
   * listed rice as used from a pantry, and 鱼香茄子 came up for 海鲜. `refused`: what the name
   * says the dish is without (see refusedIn), which it does not name.
   */
  foodsNamedIn(name: string, refused: readonly string[] = []): Array<{ concept: string; word: string }> {
    const out: Array<{ concept: string; word: string }> = [];
    const named = (concept: Concept, word: string, foodsWithin: () => Array<{ concept: string; word: string }>) => {
      if (concept.kind === 'ingredient') out.push({ concept: concept.id, word });
      else if (concept.kind !== 'tool' && !concept.namesNoFood) out.push(...foodsWithin());
    };
    if (hasCjk(name)) {
      for (const part of this.segmentChinese(name.normalize('NFKC'), NAME_WORD_KINDS)) {
        if (!part.concept) continue;
        named(part.concept, part.text, () =>
          this.segmentChinese(part.text, INGREDIENT_ONLY).flatMap((p) => (p.concept ? [{ concept: p.concept.id, word: p.text }] : [])),
        );
      }
    }
    const words = englishWords(name);
    for (let i = 0; i < words.length;) {
      const match = this.matchEnglishAt(words, i, NAME_WORD_KINDS);
      if (match) {
        const phrase = words.slice(i, i + match.length);
        named(match.concept, phrase.join(' '), () => {
          const within: Array<{ concept: string; word: string }> = [];
          for (let j = 0; j < phrase.length;) {
            const food = this.matchEnglishAt(phrase, j, INGREDIENT_ONLY);
            if (food) within.push({ concept: food.concept.id, word: phrase.slice(j, j + food.length).join(' ') });
            j += food?.length ?? 1;
          }
          return within;
        });
      }
      i += match?.length ?? 1;
    }
    return refused.length === 0 ? out : out.filter((food) => !this.isAnyOf(food.concept, refused));
  }

  /**
   * What a dish name says the dish is without: the one known word right after 无, 不含, 不加,
   * 不放, 不要, 去掉 or 去除, or after "without" or "no", or before "free" (三杯鸡（无九层塔版）
   * basil, 无糖酸奶 sugar, 无米炒饭 rice, "no-bake" bake, "gluten free" gluten). One word only: the
   * query parser's run of refused foods read 无糖酸奶 as without yogurt too, and its 没 took the
   * cheese of 微波炉版厚蛋烧（没芝士就别选了）, which says the dish needs it. Not 没 / 别 / 不
   * alone: in names they give advice.
   */
  refusedIn(name: string): string[] {
    const refused = new Set<string>();
    if (hasCjk(name)) {
      const parts = this.segmentChinese(name.normalize('NFKC'), NAME_WORD_KINDS);
      for (let i = 1; i < parts.length; i++) {
        const concept = parts[i].concept;
        if (concept && !parts[i - 1].concept && ZH_NAME_REFUSAL.test(parts[i - 1].text)) refused.add(concept.id);
      }
    }
    const words = englishWords(name);
    for (let i = 0; i < words.length; i++) {
      const after = words[i] === 'without' || words[i] === 'no' ? this.matchEnglishAt(words, i + 1, NAME_WORD_KINDS) : undefined;
      if (after) refused.add(after.concept.id);
      const before = words[i + 1] === 'free' ? this.matchEnglishAt(words, i, NAME_WORD_KINDS) : undefined;
      if (before?.length === 1) refused.add(before.concept.id);
    }
    return [...refused];
  }

  /**
   * The ingredient (or tool) an ingredient line names, tolerating notes, amounts and modifiers:
   * exact match first, then the longest known part (rightmost on a tie: Chinese and English both put
   * the head noun last, "新鲜的鸡胸肉" → 鸡胸, "chopped onion" → onion).
   */
  resolveIngredient(name: string): Concept | undefined {
    const cleaned = cleanIngredientName(name);
    if (cleaned.length === 0) return undefined;
    const exact = this.lookup(cleaned, INGREDIENT_KINDS);
    if (exact) return exact;
    for (const part of splitIngredientList(cleaned)) {
      const found = this.resolvePart(part);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Every food a line names ("葱、姜、蒜" → scallion, ginger, garlic), duplicates removed. A part
   * gives its head food and any other food in it that carries an allergen or breaks a diet the
   * head does not ("猪肉白菜馅" → cabbage and pork, "butter chicken" → chicken and butter): the
   * head alone let a line's pork or butter past a diet or an allergy.
   */
  resolveIngredients(name: string): Concept[] {
    const cleaned = cleanIngredientName(name);
    if (cleaned.length === 0) return [];
    const exact = this.lookup(cleaned, INGREDIENT_KINDS);
    if (exact) return [exact];
    const found = new Map<string, Concept>();
    for (const part of splitIngredientList(cleaned)) {
      const concept = this.resolvePart(part);
      if (!concept) continue;
      found.set(concept.id, concept);
      if (concept.kind === 'ingredient' && !this.lookup(part, INGREDIENT_KINDS)) {
        for (const other of this.alsoNamedIn(part, concept)) found.set(other.id, other);
      }
    }
    return [...found.values()];
  }

  /**
   * Known words inside a run of Chinese text, left to right, longest first at each position
   * ("牛肉汤" → 牛肉, 汤). Characters no word covers are returned as gaps so callers keep them.
   */
  segmentChinese(text: string, kinds?: ReadonlySet<ConceptKind>): Array<{ text: string; concept?: Concept }> {
    const out: Array<{ text: string; concept?: Concept }> = [];
    let gap = '';
    let i = 0;
    while (i < text.length) {
      let matched: { length: number; concept: Concept } | undefined;
      for (let len = Math.min(this.maxCjkKeyLength, text.length - i); len >= 1; len--) {
        const concept = this.bySurface.get(text.slice(i, i + len));
        if (concept && (!kinds || kinds.has(concept.kind))) {
          matched = { length: len, concept };
          break;
        }
      }
      if (!matched) {
        gap += text[i];
        i += 1;
        continue;
      }
      if (gap) out.push({ text: gap });
      gap = '';
      out.push({ text: text.slice(i, i + matched.length), concept: matched.concept });
      i += matched.length;
    }
    if (gap) out.push({ text: gap });
    return out;
  }

  /** Longest known phrase of at most `maxEnglishKeyWords` words starting at `start`. */
  matchEnglishAt(words: string[], start: number, kinds?: ReadonlySet<ConceptKind>): { length: number; concept: Concept } | undefined {
    for (let len = Math.min(this.maxEnglishKeyWords, words.length - start); len >= 1; len--) {
      const concept = this.bySurface.get(words.slice(start, start + len).join(' '));
      if (concept && (!kinds || kinds.has(concept.kind))) return { length: len, concept };
    }
    return undefined;
  }

  get longestEnglishPhrase(): number {
    return this.maxEnglishKeyWords;
  }

  private resolvePart(part: string): Concept | undefined {
    const exact = this.lookup(part, INGREDIENT_KINDS);
    if (exact) return exact;
    return hasCjk(part) ? this.bestChineseSubstring(part) : this.bestEnglishPhrase(englishWords(part));
  }

  /**
   * Foods in a part besides its head, outside the head's own word, that a diet or an allergy must
   * see (白酱油 is a soy sauce, not a white sauce). Chinese words of one character are left out:
   * 奶 in 奶白菜 or 鱼 in an unknown herb's name name no milk or fish.
   */
  private alsoNamedIn(part: string, head: Concept): Concept[] {
    let named: Concept[];
    if (hasCjk(part)) {
      const compact = compactCjk(part);
      const match = this.bestChineseMatch(compact);
      if (match?.concept.id !== head.id) return [];
      named = [compact.slice(0, match.end - match.length), compact.slice(match.end)].flatMap((text) =>
        this.segmentChinese(text, INGREDIENT_ONLY).flatMap((p) => (p.concept && p.text.length >= 2 ? [p.concept] : [])),
      );
    } else {
      const words = englishWords(part);
      const match = this.bestEnglishMatch(words);
      if (match?.concept.id !== head.id) return [];
      named = [
        ...this.englishConceptsIn(words.slice(0, match.end - match.length), INGREDIENT_ONLY),
        ...this.englishConceptsIn(words.slice(match.end), INGREDIENT_ONLY),
      ];
    }
    const rules = (id: string) => [...this.allergensOf(id).map((a) => `allergen:${a}`), ...this.breaksDiets(id).map((d) => `diet:${d}`)];
    const headRules = new Set(rules(head.id));
    return named.filter((c) => c.id !== head.id && !this.isA(head.id, c.id) && rules(c.id).some((r) => !headRules.has(r)));
  }

  /** The longest known phrases of `kinds` in `words`, left to right. */
  englishConceptsIn(words: string[], kinds: ReadonlySet<ConceptKind>): Concept[] {
    const out: Concept[] = [];
    for (let i = 0; i < words.length;) {
      const match = this.matchEnglishAt(words, i, kinds);
      if (match) out.push(match.concept);
      i += match?.length ?? 1;
    }
    return out;
  }

  private bestChineseSubstring(text: string): Concept | undefined {
    const best = this.bestChineseMatch(compactCjk(text));
    if (best) return best.concept;
    // A Chinese line with an English name in it ("酥油 Ghee" after cleaning) may still resolve by its English.
    return this.bestEnglishPhrase(englishWords(text));
  }

  private bestChineseMatch(compact: string): { length: number; end: number; concept: Concept } | undefined {
    let best: { length: number; end: number; concept: Concept } | undefined;
    for (let start = 0; start < compact.length; start++) {
      for (let len = Math.min(this.maxCjkKeyLength, compact.length - start); len >= 1; len--) {
        const concept = this.bySurface.get(compact.slice(start, start + len));
        if (!concept || !INGREDIENT_KINDS.has(concept.kind)) continue;
        const end = start + len;
        if (!best || len > best.length || (len === best.length && end > best.end)) best = { length: len, end, concept };
        break;
      }
    }
    return best;
  }

  private bestEnglishPhrase(words: string[]): Concept | undefined {
    return this.bestEnglishMatch(words)?.concept;
  }

  private bestEnglishMatch(words: string[]): { length: number; end: number; concept: Concept } | undefined {
    let best: { length: number; end: number; concept: Concept } | undefined;
    for (let start = 0; start < words.length; start++) {
      const match = this.matchEnglishAt(words, start, INGREDIENT_KINDS);
      if (!match) continue;
      const end = start + match.length;
      if (!best || match.length > best.length || (match.length === best.length && end > best.end)) {
        best = { ...match, end };
      }
    }
    return best;
  }

  private inherited(id: string, pick: (c: Concept) => string[] | undefined): string[] {
    const out = new Set<string>();
    for (const c of [id, ...this.ancestors(id)]) {
      const concept = this.concepts.get(c);
      if (concept) pick(concept)?.forEach((v) => out.add(v));
    }
    return [...out];
  }

  private trackKeyLength(key: string): void {
    if (hasCjk(key)) this.maxCjkKeyLength = Math.max(this.maxCjkKeyLength, key.length);
    else this.maxEnglishKeyWords = Math.max(this.maxEnglishKeyWords, key.split(' ').length);
  }

  /** Later sources win whole concepts by id: an operator file can redefine a concept or add new ones. */
  private merge(sources: LexiconSource[], problems: string[]) {
    const concepts = new Map<string, { concept: Concept; origin: string }>();
    const dishes: DishConcept[] = [];
    for (const { name, data } of sources) {
      if (data.kind !== undefined && !CONCEPT_KINDS.includes(data.kind)) problems.push(`${name}: unknown kind "${data.kind}"`);
      const seenHere = new Set<string>();
      for (const raw of data.concepts ?? []) {
        const kind = raw.kind ?? data.kind;
        if (!raw.id) {
          problems.push(`${name}: a concept has no id`);
          continue;
        }
        if (seenHere.has(raw.id)) problems.push(`${name}: concept "${raw.id}" is defined twice`);
        seenHere.add(raw.id);
        concepts.set(raw.id, {
          concept: { ...raw, kind: kind as ConceptKind, zh: raw.zh ?? [], en: raw.en ?? [] },
          origin: name,
        });
      }
      dishes.push(...(data.dishes ?? []).map((d) => ({ ...d, zh: d.zh ?? [], en: d.en ?? [] })));
    }
    return { concepts, dishes };
  }

  private validateConcept(concept: Concept, origin: string, problems: string[]): void {
    const where = `${origin}: "${concept.id}"`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(concept.id)) problems.push(`${where} is not a lowercase slug`);
    if (!CONCEPT_KINDS.includes(concept.kind)) problems.push(`${where} has unknown kind "${concept.kind}"`);
    if (concept.zh.length + concept.en.length === 0) problems.push(`${where} has no names`);
    for (const group of [...(concept.allergens ?? []), ...(concept.allergyAlso ?? []), ...(concept.namesAllergens ?? [])]) {
      if (!(ALLERGEN_GROUPS as readonly string[]).includes(group)) problems.push(`${where} has unknown allergen group "${group}"`);
    }
  }

  private addDish(dish: DishConcept, owners: Map<string, OwnedSurface>, problems: string[]): void {
    for (const id of [...dish.ingredients, ...dish.properties, ...dish.cuisines]) {
      if (!this.concepts.has(id)) problems.push(`dish "${dish.id}" names unknown concept "${id}"`);
    }
    this.dishesById.set(dish.id, dish);
    for (const surface of [...dish.zh, ...dish.en]) {
      const key = surfaceKey(surface);
      const owner = owners.get(key);
      if (owner) problems.push(`dish name "${surface}" of "${dish.id}" is also a surface form of "${owner.concept.id}"`);
      this.dishBySurface.set(key, dish);
    }
  }

  private checkCycles(problems: string[]): void {
    for (const id of this.concepts.keys()) {
      if (this.ancestors(id).includes(id)) problems.push(`"${id}" is its own ancestor`);
    }
  }
}

/** The Chinese characters of a text, without spaces, digits or punctuation. */
function compactCjk(text: string): string {
  return text.replace(/[^\u3400-\u9fff\uf900-\ufaff]/g, '');
}

/** Reads one lexicon JSON file, or every `*.json` file in a folder (sorted, so the merge order is stable). */
export function readLexiconSources(path: string): LexiconSource[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  return files.map((file) => {
    try {
      return { name: file, data: JSON.parse(readFileSync(file, 'utf8')) as LexiconFile };
    } catch (error) {
      throw new LexiconValidationError([`${file} is not valid JSON: ${(error as Error).message}`]);
    }
  });
}
