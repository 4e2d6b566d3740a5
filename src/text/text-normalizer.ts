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

/**
 * Traditional characters of food and cooking words, each with its one simplified form (written
 * for this table: 204 characters, each of which has a single simplified counterpart). The
 * lexicon, the segmenter's dictionary and the bundled recipes are in simplified Chinese: 雞 found
 * nothing, 宮保雞丁 one unrelated dish, 牛肉麵 dropped its noodles.
 */
const TRADITIONAL =
  '雞鴨鵝鴿鵪鶉魚蝦豬驢馬鱉龜烏麵麪飯湯醬燒燉滷鹵鍋蔥薑蘿蔔筍腸絲塊條頭腳餅餃饅麥麩糧鹽鹹鮮鱈鱸鯉鯽鰻魷鮑貝蠔蠣蜆鱔鰱鯛鮭鮪鯖鱘龍鳳園廣東國宮紅綠黃藍檸蘋蓮飲燜燴燙涼熱凍軟爛盤鏟壺電爐氣壓機時鐘間個隻兩點無沒與們這麼為給讓會說還買賣樣種類單雙層餛飩貼糰臘醃釀燻煙圓餡撈窩參蔘棗穀蕎豐髮發蘆薺莧萵蘭葉線雜乾醫減營養質純專傳統經簡農場雲貴陝漢臺灣遼寧蘇揚閩贛粵魯晉滬橋頓麗鄉濃適鹼鈣鐵鋅維鬆鬚館廳韓義聖誕節過際盧顆張';
const SIMPLIFIED =
  '鸡鸭鹅鸽鹌鹑鱼虾猪驴马鳖龟乌面面饭汤酱烧炖卤卤锅葱姜萝卜笋肠丝块条头脚饼饺馒麦麸粮盐咸鲜鳕鲈鲤鲫鳗鱿鲍贝蚝蛎蚬鳝鲢鲷鲑鲔鲭鲟龙凤园广东国宫红绿黄蓝柠苹莲饮焖烩烫凉热冻软烂盘铲壶电炉气压机时钟间个只两点无没与们这么为给让会说还买卖样种类单双层馄饨贴团腊腌酿熏烟圆馅捞窝参参枣谷荞丰发发芦荠苋莴兰叶线杂干医减营养质纯专传统经简农场云贵陕汉台湾辽宁苏扬闽赣粤鲁晋沪桥顿丽乡浓适碱钙铁锌维松须馆厅韩义圣诞节过际卢颗张';
const TO_SIMPLIFIED = new Map([...TRADITIONAL].map((char, i) => [char, SIMPLIFIED[i]]));
const HAS_TRADITIONAL = new RegExp(`[${TRADITIONAL}]`);
const EVERY_TRADITIONAL = new RegExp(HAS_TRADITIONAL.source, 'g');

/** Traditional characters of the table above in their simplified form; other text as it is. */
export function toSimplified(text: string): string {
  return HAS_TRADITIONAL.test(text) ? text.replace(EVERY_TRADITIONAL, (char) => TO_SIMPLIFIED.get(char)!) : text;
}

/**
 * Full-width forms to ASCII, lower case, traditional Chinese characters simplified, single
 * spaces: the form every lookup key is built from.
 */
export function basicNormalize(text: string): string {
  return toSimplified(text.normalize('NFKC').toLowerCase()).replace(/\s+/g, ' ').trim();
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
 * A dish name, case and width folded and simplified, without its bracketed notes ("宫保鸡丁（家常版）" →
 * "宫保鸡丁", "Kung pao chicken (easy)" → "kung pao chicken"); nested notes go too.
 */
export function withoutNameNotes(name: string): string {
  let stripped = toSimplified(name.normalize('NFKC').toLowerCase());
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
