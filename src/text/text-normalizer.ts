/**
 * String normalisation shared by the lexicon, the analyzers and the query parser. Lexicon surface
 * forms and user text go through the same functions, so they meet on the same keys.
 */

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_GLOBAL = /[\u3400-\u9fff\uf900-\ufaff]/g;
const LATIN_GLOBAL = /[a-z]/gi;

/** Plurals the suffix rules below would get wrong. */
const IRREGULAR_PLURALS: Record<string, string> = {
  leaves: 'leaf',
  loaves: 'loaf',
  halves: 'half',
  knives: 'knife',
  children: 'child',
  teeth: 'tooth',
};

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

export function isCjkChar(char: string): boolean {
  return CJK.test(char);
}

/** Share of CJK characters among the letters of the text (0 when it has no letters). */
export function cjkShare(text: string): number {
  const cjk = text.match(CJK_GLOBAL)?.length ?? 0;
  const latin = text.match(LATIN_GLOBAL)?.length ?? 0;
  return cjk + latin === 0 ? 0 : cjk / (cjk + latin);
}

/** English plural → singular, conservative: lexicon keys and user words are folded alike, so a rare miss only costs a synonym. */
export function foldPlural(word: string): string {
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular) return irregular;
  if (word.length <= 3 || !word.endsWith('s')) return word;
  if (/(ss|us|is)$/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(oes|ches|shes|xes|sses|zes)$/.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

/** Full-width forms to ASCII, lower case, single spaces: the form every lookup key is built from. */
export function basicNormalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Lower-case English words with plural folding; hyphens and punctuation become word breaks. */
export function englishWords(text: string): string[] {
  return basicNormalize(text)
    .replace(/[’']s\b/g, '')
    .split(/[^a-z0-9\u00e0-\u00ff]+/)
    .filter((w) => w.length > 0)
    .map(foldPlural);
}

/**
 * Lookup key of a surface form. Chinese keys keep their characters (spaces dropped); English keys
 * are folded word by word, so "Chilli Peppers", "chilli-pepper" and "chilli pepper" meet.
 */
export function surfaceKey(surface: string): string {
  const text = basicNormalize(surface);
  if (hasCjk(text)) return text.replace(/\s+/g, '');
  return englishWords(text).join(' ');
}

/**
 * Bracketed notes a source adds to a dish's name: "番茄炒蛋（简易版）", "Dal (easy version)",
 * "【家常】红烧肉". Full-width brackets are already half-width after NFKC; 【】 and 〖〗 have no
 * half-width form. Innermost first, repeated, so a note inside a note goes too.
 */
const NAME_NOTE = /\([^()]*\)|\[[^[\]]*\]|【[^【】]*】|〖[^〖〗]*〗/g;

/**
 * A dish name, case and width folded, without its bracketed notes ("宫保鸡丁（家常版）" →
 * "宫保鸡丁", "Kung pao chicken (easy)" → "kung pao chicken"); nested notes go too.
 */
export function withoutNameNotes(name: string): string {
  let stripped = name.normalize('NFKC').toLowerCase();
  for (let previous = ''; previous !== stripped;) {
    previous = stripped;
    stripped = stripped.replace(NAME_NOTE, ' ');
  }
  return stripped;
}

const NOTE_BRACKETS = /\([^()]*\)|\[[^[\]]*\]|【[^】]*】|「[^」]*」|《[^》]*》/g;
const MARKDOWN = /!\[[^\]]*\]\([^)]*\)|\*\*|`/g;
const QUANTITY =
  /(?:约|大约)?\s*\d+(?:[.,/-]\d+)?\s*(?:(?:kg|g|mg|ml|l|cm|mm|cups?|tbsp|tsp|tablespoons?|teaspoons?|pinch|oz|lbs?)\b|千克|公斤|毫升|克|升|斤|两|个|根|瓣|片|勺|汤匙|茶匙|小勺|大勺|块|颗|只|条|杯|碗|包|袋|罐|瓶|把|棵|朵|粒|张|段|滴|匙|份)?/gi;
const ZH_MEASURE = /[一两二三四五六七八九十半几数若]+(?:个|根|瓣|片|勺|块|颗|只|条|杯|碗|包|袋|罐|瓶|把|棵|朵|粒|张|段|小块|大块|小把|干)/g;
const ZH_FILLERS = /(适量|少许|少量|若干|一些|可选|选用|备用|随意|任选其一|按需|根据口味)/g;

/**
 * An ingredient line reduced to the food it names: notes in brackets, Markdown, amounts and filler
 * words removed, text after a colon dropped ("高筋面粉：400g" → "高筋面粉"). Empty when nothing is left.
 */
export function cleanIngredientName(raw: string): string {
  let text = basicNormalize(raw).replace(MARKDOWN, ' ');
  const withoutNotes = text
    .replace(NOTE_BRACKETS, ' ')
    .replace(/[()[\]]/g, ' ')
    .trim();
  // "(Garam Masala)" alone still names the food: keep the bracket text when nothing else is left.
  text = withoutNotes.length > 0 ? withoutNotes : text.replace(/[()[\]]/g, ' ');
  const colon = text.indexOf(':');
  if (colon > 0) text = text.slice(0, colon);
  text = text.replace(QUANTITY, ' ').replace(ZH_MEASURE, ' ').replace(ZH_FILLERS, ' ');
  return text
    .replace(/[—–~*#>…]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits a line naming several foods ("葱、姜、蒜", "ginger and garlic", "白糖或红糖"). */
export function splitIngredientList(text: string): string[] {
  return text
    .split(/[、,，;；/|]|\s+(?:and|or|&|and\/or)\s+|或者|或|以及|及/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
