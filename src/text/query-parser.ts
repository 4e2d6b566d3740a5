import { FoodLexicon } from './food-lexicon';
import { isStopWord, TextAnalyzer } from './text-analyzer';
import { Concept, DishConcept, ParsedQuery } from './text.types';
import { basicNormalize, hasCjk } from './text-normalizer';

/** "quick" / "快手" without a number means this many minutes. */
export const QUICK_MAX_MINUTES = 30;

const ZH_NEGATIONS = [
  // Longer cues first: a token glued to its food ("走葱") is split at the first cue it starts with.
  '千万别',
  '不能吃',
  '不能',
  '不想',
  '不爱',
  '不沾',
  '讨厌',
  '除了',
  '不是',
  '不用',
  '不要',
  '不放',
  '不加',
  '不吃',
  '不含',
  '不能吃',
  '没有',
  '去掉',
  '去除',
  '别放',
  '别加',
  '免',
  '忌',
  '忌口',
  '无',
  '不',
  '没',
  '别',
  '戒',
  // 非油炸: a non-fried dish.
  '非',
  // Kitchen orders: 去葱, 走葱 ("hold the scallion").
  '去',
  '走',
];
const EN_NEGATIONS = new Set([
  'without',
  'no',
  'not',
  'non',
  'exclude',
  'excluding',
  'except',
  'minus',
  'avoid',
  'skip',
  'hold',
  'nor',
  'never',
  'nothing',
  'hate',
  'dislike',
  'cannot',
  'cant',
  'dont',
  'doesnt',
  'wont',
]);
/**
 * "Less of it" cues (少辣, 低糖, less oil, 不太辣, not too spicy): the food or flavor after one is
 * not wanted, yet not refused either, since a little of it is fine.
 */
const ZH_SOFTENERS = ['不太', '别太', '少放', '少加', '少', '低', '减'];
const EN_SOFTENERS = new Set(['less', 'low', 'lower', 'reduced']);
/** After a negation these turn it into a softener: 不要太辣, not too spicy, not very sweet. */
const INTENSIFIERS = new Set(['太', '过于', 'too', 'very', 'overly']);
/** Two-token refusals: the tokenizer splits "can't" into can + t, "free of" and "anything but" are phrases. */
const EN_NEGATION_PAIRS = new Set(['can t', 'don t', 'doesn t', 'didn t', 'won t', 'shouldn t', 'free of', 'anything but']);
/** Words that neither end an exclusion nor mean anything themselves ("不要放香菜", "without any nuts"). */
const SCOPE_TRANSPARENT = new Set([
  '放',
  '加',
  '任何',
  '吃',
  '含',
  '要',
  '太',
  // 不喜欢 / 不需要 / 不能喝 are segmented 不 + verb: the verb must not end the refusal.
  '喜欢',
  '爱',
  '需要',
  '喝',
  '碰',
  '沾',
  'any',
  'the',
  'a',
  'an',
  'added',
  'too',
  'much',
  'eat',
  'eating',
]);
/**
 * Words that only pad a query ("ready in 15 mins", "做好只要10分钟", "除了香菜都行"): kept out of
 * freeText, where a word no recipe name holds would drop every hit.
 */
const QUERY_FILLER = new Set([
  'ready',
  'take',
  'taking',
  'need',
  'needs',
  'tonight',
  'today',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  // The time phrase takes the 要 of 只要 / 只需要 with it: 只 and 需 are what is left.
  '只',
  '需',
  '只要',
  '只需',
  '只需要',
  '需要',
  '都行',
  '就行',
  '都可以',
  '就好',
  '今天',
  '今晚',
]);
const LIST_PUNCTUATION = /[,，、;；]/g;
const CJK_SPACE = /(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])/;
const CONNECTORS = new Set(['和', '与', '或', '跟', '及', '也', '还有', '或者', '、', 'and', 'or', '&']);
const ALLERGY_WORDS_ZH = new Set(['过敏', '过敏者', '过敏体质']);
const ALLERGY_WORDS_EN = new Set(['allergy', 'allergic', 'intolerant', 'intolerance', 'sensitive']);
const QUICK_WORDS = /(快手菜|快手|快速|速成|省时|懒人|\bquick(?:ly)?\b|\bfast\b|\bspeedy\b|\bexpress\b|\bin a hurry\b)/;

type Item =
  | { type: 'concept'; concept: Concept; text: string }
  | { type: 'dish'; dish: DishConcept; text: string }
  | { type: 'negation'; text: string }
  | { type: 'soften'; text: string }
  | { type: 'allergy-before'; text: string }
  | { type: 'allergy-after'; text: string }
  | { type: 'free'; text: string }
  | { type: 'connector'; text: string }
  | { type: 'transparent'; text: string }
  /** Whitespace beside Chinese text: it ends a run of foods ("不要葱 鸡蛋" refuses only 葱). */
  | { type: 'space'; text: string }
  | { type: 'word'; text: string };

/**
 * Free text in Chinese or English → the ingredients, properties, constraints and leftover words a
 * search needs. Rules (all tested in the spec's query table):
 * - exclusions: a negation (不要/不放/不加/没有/去掉/无/不…, without/no/not…) applies to the food,
 *   flavor or allergen words that follow it, across connectors (和/、/and/or), until another word;
 *   "X-free" excludes X; "不辣"/"not spicy" excludes the spicy flavor and chili;
 * - allergies: "花生过敏", "对坚果过敏", "nut allergy", "allergic to shellfish" exclude the food
 *   and its allergen groups; "-free" diets (无麸质, dairy-free) are diets and exclude their allergen;
 * - time: "30分钟以内", "半小时", "under 30 minutes", "in 20 min", "1 hour" set maxMinutes;
 *   "quick"/"快手" alone means {@link QUICK_MAX_MINUTES};
 * - known dishes (宫保鸡丁) add the ingredients and properties the name implies, and their names
 *   stay in freeText for name matching; other unrecognised words go to freeText.
 */
export class QueryParser {
  private readonly lexicon: FoodLexicon;

  constructor(private readonly text: TextAnalyzer) {
    this.lexicon = text.foodLexicon;
  }

  parse(query: string): ParsedQuery {
    const result = emptyParsedQuery(query, this.text.detectLanguage(query));
    let normalized = basicNormalize(query);
    const time = extractMaxMinutes(normalized);
    normalized = time.rest;
    if (time.minutes !== undefined) result.maxMinutes = time.minutes;
    if (QUICK_WORDS.test(normalized)) {
      result.maxMinutes ??= QUICK_MAX_MINUTES;
      normalized = normalized.replace(new RegExp(QUICK_WORDS.source, 'g'), ' ');
    }
    // A list's punctuation joins its items as 和 / and do ("不要香菜、葱", "no onions, garlic"):
    // the segmenter drops punctuation, which ended an exclusion after its first item.
    normalized = normalized.replace(LIST_PUNCTUATION, ' and ');
    this.interpret(this.items(normalized), result);
    return dedupe(result);
  }

  /** Tokens classified: concepts (longest phrase first), dishes, cue words and leftovers. */
  private items(text: string): Item[] {
    const items: Item[] = [];
    // English phrases span spaces ("chicken breast"); a space beside Chinese text separates.
    const chunks = text.split(CJK_SPACE).filter((chunk) => chunk.trim().length > 0);
    chunks.forEach((chunk, i) => {
      if (i > 0) items.push({ type: 'space', text: ' ' });
      this.chunkItems(chunk, items);
    });
    // "不要太辣" / "not too spicy" asks for less, not none.
    for (let i = 0; i + 1 < items.length; i++) {
      if (items[i].type === 'negation' && INTENSIFIERS.has(items[i + 1].text)) {
        items.splice(i, 2, { type: 'soften', text: `${items[i].text}${items[i + 1].text}` });
      }
    }
    return items;
  }

  private chunkItems(text: string, items: Item[]): void {
    const tokens = this.text.segment(text);
    for (let i = 0; i < tokens.length;) {
      const token = tokens[i];
      if (!hasCjk(token)) {
        const consumed = this.englishItemAt(tokens, i, items);
        i += consumed;
        continue;
      }
      this.chineseItems(token, items);
      i += 1;
    }
  }

  private englishItemAt(tokens: string[], i: number, items: Item[]): number {
    for (let len = Math.min(6, tokens.length - i); len >= 2; len--) {
      const phrase = tokens.slice(i, i + len).join(' ');
      const dish = this.lexicon.lookupDish(phrase);
      if (dish) {
        items.push({ type: 'dish', dish, text: phrase });
        return len;
      }
    }
    const match = this.lexicon.matchEnglishAt(tokens, i);
    const token = tokens[i];
    // "no" / "not" / "free" are cue words even where a lexicon phrase could start with them.
    if (match && !(match.length === 1 && (EN_NEGATIONS.has(token) || token === 'free'))) {
      items.push({ type: 'concept', concept: match.concept, text: tokens.slice(i, i + match.length).join(' ') });
      return match.length;
    }
    // A one-word dish name ("tiramisu", "carbonara") where no food or property has that word:
    // left as a free word, it matched only names written in English.
    const dish = match ? undefined : this.lexicon.lookupDish(token);
    if (dish) {
      items.push({ type: 'dish', dish, text: token });
      return 1;
    }
    if (EN_NEGATION_PAIRS.has(`${token} ${tokens[i + 1]}`)) {
      items.push({ type: 'negation', text: `${token} ${tokens[i + 1]}` });
      return 2;
    }
    if (token === 'allergic' && tokens[i + 1] === 'to') {
      items.push({ type: 'allergy-before', text: 'allergic to' });
      return 2;
    }
    if (ALLERGY_WORDS_EN.has(token)) items.push({ type: 'allergy-after', text: token });
    else if (EN_NEGATIONS.has(token)) items.push({ type: 'negation', text: token });
    else if (EN_SOFTENERS.has(token)) items.push({ type: 'soften', text: token });
    else if (token === 'free') items.push({ type: 'free', text: token });
    else if (CONNECTORS.has(token)) items.push({ type: 'connector', text: token });
    else if (SCOPE_TRANSPARENT.has(token)) items.push({ type: 'transparent', text: token });
    else items.push({ type: 'word', text: token });
    return 1;
  }

  private chineseItems(token: string, items: Item[]): void {
    const dish = this.lexicon.lookupDish(token);
    if (dish) {
      items.push({ type: 'dish', dish, text: token });
      return;
    }
    const concept = this.lexicon.lookup(token);
    if (concept) {
      items.push({ type: 'concept', concept, text: token });
      return;
    }
    if (ALLERGY_WORDS_ZH.has(token)) return void items.push({ type: 'allergy-after', text: token });
    if (ZH_NEGATIONS.includes(token)) return void items.push({ type: 'negation', text: token });
    if (CONNECTORS.has(token)) return void items.push({ type: 'connector', text: token });
    if (SCOPE_TRANSPARENT.has(token)) return void items.push({ type: 'transparent', text: token });
    if (ZH_SOFTENERS.includes(token)) return void items.push({ type: 'soften', text: token });
    for (const cue of ZH_SOFTENERS) {
      if (token.startsWith(cue) && token.length > cue.length) {
        const rest = token.slice(cue.length);
        if (!this.lexicon.lookup(rest) && !this.lexicon.segmentChinese(rest).some((part) => part.concept)) continue;
        items.push({ type: 'soften', text: cue });
        this.chineseItems(rest, items);
        return;
      }
    }
    // Jieba keeps some negated words whole ("不辣", "无糖"): split off the cue when the rest is known.
    for (const cue of ZH_NEGATIONS) {
      if (token.startsWith(cue) && token.length > cue.length && this.lexicon.lookup(token.slice(cue.length))) {
        items.push({ type: 'negation', text: cue });
        this.chineseItems(token.slice(cue.length), items);
        return;
      }
    }
    if (token.endsWith('过敏') && token.length > 2) {
      this.chineseItems(token.slice(0, -2), items);
      items.push({ type: 'allergy-after', text: '过敏' });
      return;
    }
    if (QUERY_FILLER.has(token)) return void items.push({ type: 'word', text: token });
    for (const part of this.lexicon.segmentChinese(token)) {
      // Jieba glues a one-character food to its verb ("放葱", "加糖"): the verb keeps the scope open.
      if (!part.concept && SCOPE_TRANSPARENT.has(part.text)) items.push({ type: 'transparent', text: part.text });
      else if (!part.concept) items.push({ type: 'word', text: part.text });
      else if (part.concept.kind === 'tool') items.push({ type: 'word', text: part.text });
      else items.push({ type: 'concept', concept: part.concept, text: part.text });
    }
    // A leftover single character of a longer token is noise ("酱牛肉汤" → 牛肉, 汤 known, nothing left).
  }

  private interpret(items: Item[], out: ParsedQuery): void {
    /** A negation or "allergic to" is open: it takes the next food, and further foods joined by 和 / and / or. */
    let scope: 'none' | 'negation' | 'soften' | 'allergy' = 'none';
    let open = false;
    /** Concepts since the last scope break, for a trailing "过敏" / "allergy" / "free" / "不要". */
    let recent: Array<{ concept: Concept; text: string }> = [];
    /** The item before was a food the open scope took: a run of foods ending the query continues it ("不要葱姜蒜"). */
    let tookFood = false;
    /** The foods wanted just before the last negation, for one that ends the query. */
    let beforeNegation: Array<{ concept: Concept; text: string }> = [];
    // tailOfFoods[i]: items i.. are all ingredient concepts.
    const tailOfFoods = new Array<boolean>(items.length + 1).fill(true);
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      tailOfFoods[i] = tailOfFoods[i + 1] && item.type === 'concept' && item.concept.kind === 'ingredient';
    }
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const followsFood = tookFood;
      tookFood = false;
      switch (item.type) {
        case 'negation':
        case 'soften':
        case 'allergy-before':
          scope = item.type === 'allergy-before' ? 'allergy' : item.type;
          open = true;
          beforeNegation = recent;
          recent = [];
          break;
        case 'allergy-after':
        case 'free':
          for (const { concept, text } of recent) {
            // "oven-free", "fry-free": a refused method, not an allergy.
            if (item.type === 'free' && (concept.kind === 'method' || concept.kind === 'flavor')) {
              removeLast(out.properties, concept.id);
              this.exclude(concept, out);
            } else this.excludeForAllergy(concept, out, text);
          }
          recent = [];
          scope = 'none';
          break;
        case 'connector':
          if (scope !== 'none') open = true;
          break;
        case 'transparent':
        case 'space':
          break;
        case 'dish':
          scope = 'none';
          recent = [];
          out.dishes?.push(item.dish.id);
          out.freeText.push(item.text);
          out.ingredients.push(...item.dish.ingredients);
          out.properties.push(...item.dish.properties);
          out.cuisines.push(...item.dish.cuisines);
          out.categories.push(...(item.dish.categories ?? []));
          break;
        case 'concept':
          // A run of foods after a softener is what the dish is ("少盐牛肉"), not more of the less.
          if (scope !== 'none' && (open || (followsFood && tailOfFoods[i] && scope !== 'soften'))) {
            if (scope === 'allergy') this.excludeForAllergy(item.concept, out);
            else if (scope === 'negation') this.exclude(item.concept, out);
            // A softened food is neither wanted nor refused.
            open = false;
            tookFood = item.concept.kind === 'ingredient';
            break;
          }
          scope = 'none';
          this.want(item.concept, item.text, out);
          recent.push({ concept: item.concept, text: item.text });
          break;
        case 'word':
          // An English word the lexicon does not know between a negation and its food is a
          // describing word ("without fresh cilantro", "no chopped onion"): it keeps the scope.
          // A softener takes only the word right after it ("low and slow pork" wants pork).
          if (!(scope !== 'none' && scope !== 'soften' && open && !hasCjk(item.text))) scope = 'none';
          if (isStopWord(item.text) || QUERY_FILLER.has(item.text)) break;
          recent = [];
          out.freeText.push(item.text);
          break;
      }
    }
    // A negation that ends the query takes the foods just before it ("牛肉面香菜不要", "花生不能吃").
    const last = [...items].reverse().find((item) => item.type !== 'transparent' && item.type !== 'space');
    if (last?.type === 'negation') {
      for (const { concept } of beforeNegation) {
        removeLast(out.ingredients, concept.id);
        this.exclude(concept, out);
      }
    }
  }

  private want(concept: Concept, text: string, out: ParsedQuery): void {
    switch (concept.kind) {
      case 'ingredient':
        out.ingredients.push(concept.id);
        break;
      case 'flavor':
      case 'method':
        out.properties.push(concept.id);
        break;
      case 'cuisine':
        out.cuisines.push(concept.id);
        break;
      case 'course':
        out.categories.push(this.lexicon.categoryOf(concept));
        // 素 is the vegetarian morpheme: someone asking for 素菜 does not want ham in it, although
        // the vegetable-dish folders of the sources hold dishes with meat.
        if (text.startsWith('素')) out.diets.push('vegetarian');
        break;
      case 'diet':
        out.diets.push(concept.id);
        out.excludedAllergens.push(...dietAllergens(concept.id));
        break;
      case 'allergen':
      case 'tool':
        out.freeText.push(text);
        break;
    }
  }

  private exclude(concept: Concept, out: ParsedQuery): void {
    switch (concept.kind) {
      case 'ingredient':
        out.excludedIngredients.push(concept.id);
        // "no shellfish" as the `exclude` parameter takes it: oyster sauce too.
        out.excludedAllergens.push(...this.lexicon.allergenGroupsNamedBy(concept));
        break;
      case 'flavor':
      case 'method':
        out.excludedProperties?.push(concept.id);
        // Not spicy means no chili either; not numbing means no Sichuan pepper.
        if (this.lexicon.isA(concept.id, 'spicy')) out.excludedIngredients.push('chili-pepper');
        if (this.lexicon.isA(concept.id, 'numbing')) out.excludedIngredients.push('sichuan-pepper');
        break;
      case 'allergen':
        out.excludedAllergens.push(...this.lexicon.allergenGroupsNamedBy(concept));
        break;
      default:
        // "不要川菜" / "not vegetarian": a negated cuisine, course or diet is not a filter we can honour.
        break;
    }
  }

  /** An allergy to a food excludes the food and its allergen groups (a group word like 海鲜 uses its members'). */
  private excludeForAllergy(concept: Concept, out: ParsedQuery, text?: string): void {
    removeLast(out.ingredients, concept.id);
    // An allergen word wanted earlier went to freeText ("gluten allergy"): a name nothing matches.
    if (text !== undefined && concept.kind === 'allergen') removeLast(out.freeText, text);
    if (concept.kind === 'ingredient') out.excludedIngredients.push(concept.id);
    out.excludedAllergens.push(...this.lexicon.allergenGroupsWithin(concept));
  }
}

function dietAllergens(diet: string): string[] {
  if (diet === 'gluten-free') return ['gluten'];
  if (diet === 'dairy-free') return ['dairy'];
  if (diet === 'nut-free') return ['tree-nut', 'peanut'];
  return [];
}

function removeLast(list: string[], value: string): void {
  const index = list.lastIndexOf(value);
  if (index >= 0) list.splice(index, 1);
}

function dedupe(q: ParsedQuery): ParsedQuery {
  const uniq = (xs: string[]) => [...new Set(xs)];
  const excluded = new Set(q.excludedIngredients);
  return {
    ...q,
    // A food both wanted and excluded ("牛肉 不要牛肉") is excluded: the safer reading.
    ingredients: uniq(q.ingredients).filter((i) => !excluded.has(i)),
    properties: uniq(q.properties).filter((p) => !(q.excludedProperties ?? []).includes(p)),
    cuisines: uniq(q.cuisines),
    categories: uniq(q.categories),
    excludedIngredients: uniq(q.excludedIngredients),
    excludedAllergens: uniq(q.excludedAllergens),
    diets: uniq(q.diets),
    freeText: uniq(q.freeText),
    excludedProperties: uniq(q.excludedProperties ?? []),
    dishes: uniq(q.dishes ?? []),
  };
}

const ZH_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九十九 in Chinese numerals, or Arabic digits. */
export function parseNumber(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === '十') return 10;
  const tens = text.indexOf('十');
  if (tens >= 0) {
    const high = tens === 0 ? 1 : ZH_DIGITS[text.slice(0, tens)];
    const low = tens === text.length - 1 ? 0 : ZH_DIGITS[text.slice(tens + 1)];
    return high === undefined || low === undefined ? undefined : high * 10 + low;
  }
  return text.length === 1 ? ZH_DIGITS[text] : undefined;
}

const ZH_TIME =
  /(?:在|要)?([\d.]+|[零一二两三四五六七八九十]+)?\s*(个)?\s*(半)?\s*(?:个)?\s*(分钟|分|小时|钟头|刻钟)(半)?\s*(?:以内|之内|内|以下|左右|不到|搞定|完成|能做好)?/;
/** Every time phrase in a text, in order (matchAll takes a copy, so sharing it is safe). */
const ZH_TIMES = new RegExp(ZH_TIME.source, 'g');
const ZH_LIMIT_CUE = /(以内|之内|内|以下|左右|不到|搞定|完成|能做好)$/;
const ZH_AT_MOST_BEFORE = /(不超过|不多于|不到|最多|少于|小于)\s*$/;
const ZH_AT_LEAST_BEFORE = /(超过|至少|多于|大于|起码)\s*$/;
const ZH_AT_LEAST_AFTER = /^\s*(以上|多|起)/;
const EN_AT_LEAST_BEFORE = /\b(at least|more than|over|longer than|minimum of)\s*$/;
const EN_TIME =
  /\b(under|less than|within|in|max|maximum|at most|up to|below|no more than|tops)?\s*(\d+(?:\.\d+)?|an?|one|two|half(?: an?)?)\s*(?:-\s*)?(minutes?|mins?|m|hours?|hrs?|hr|h)\b(?:\s*(?:or less|max|tops))?/;

/** The time limit written in the text, and the text without it. */
export function extractMaxMinutes(text: string): { minutes?: number; rest: string } {
  for (const zh of text.matchAll(ZH_TIMES)) {
    // 半 (半小时, 半个钟头) is a number itself; 个 may stand either side of it.
    if (zh[1] === undefined && zh[3] === undefined) continue;
    // A bare 分 is a time only with a limit word after it: 五分熟 is a steak's doneness, 三分糖 a sweetness.
    if (zh[4] === '分' && !ZH_LIMIT_CUE.test(zh[0])) continue;
    const base = zh[1] !== undefined ? parseNumber(zh[1]) : 0;
    if (base === undefined) continue;
    const half = zh[3] !== undefined || zh[5] !== undefined ? 0.5 : 0;
    const hours = zh[4] === '小时' || zh[4] === '钟头';
    // 一刻钟 is a quarter of an hour.
    const minutes = hours ? (base + half) * 60 : zh[4] === '刻钟' ? base * 15 : base;
    if (minutes <= 0) continue;
    const at = zh.index ?? 0;
    const before = text.slice(0, at);
    const after = text.slice(at + zh[0].length);
    const atMost = ZH_AT_MOST_BEFORE.exec(before);
    if (atMost) return { minutes: Math.round(minutes), rest: `${before.slice(0, atMost.index)} ${after}` };
    // "1小时以上", "超过两小时": a minimum, which a time limit cannot say; the words are dropped, no limit set.
    const atLeast = ZH_AT_LEAST_BEFORE.exec(before);
    const above = ZH_AT_LEAST_AFTER.exec(after);
    if (atLeast || above) {
      return { rest: `${atLeast ? before.slice(0, atLeast.index) : before} ${above ? after.slice(above[0].length) : after}` };
    }
    return { minutes: Math.round(minutes), rest: text.replace(zh[0], ' ') };
  }
  const en = EN_TIME.exec(text);
  if (en) {
    const amount = en[2].startsWith('half') ? 0.5 : /^(an?|one)$/.test(en[2]) ? 1 : en[2] === 'two' ? 2 : Number(en[2]);
    const unit = en[3];
    const isHours = /^h/.test(unit);
    // A bare "2 m" is too ambiguous; a number with a unit counts, "an hour" needs a cue word.
    const explicit = /^\d/.test(en[2]) ? unit !== 'm' || en[1] !== undefined : en[1] !== undefined || isHours;
    if (explicit && amount > 0) {
      const before = text.slice(0, en.index);
      const atLeast = en[1] === undefined ? EN_AT_LEAST_BEFORE.exec(before) : null;
      if (atLeast) return { rest: `${before.slice(0, atLeast.index)} ${text.slice(en.index + en[0].length)}` };
      return { minutes: Math.round(isHours ? amount * 60 : amount), rest: text.replace(en[0], ' ') };
    }
  }
  return { rest: text };
}

/** A query that asks for nothing: the parser's starting point, and the query of a filter-only request. */
export function emptyParsedQuery(text = '', language = 'unknown'): ParsedQuery {
  return {
    text,
    language,
    ingredients: [],
    properties: [],
    cuisines: [],
    categories: [],
    excludedIngredients: [],
    excludedAllergens: [],
    diets: [],
    excludedProperties: [],
    dishes: [],
    freeText: [],
  };
}
