import { Ingredient, RecipeInput } from '../recipe.types';
import {
  cleanText,
  dedupeIngredients,
  dedupeStrings,
  extractNotes,
  isOptionalMarker,
  normalizeWidth,
  splitOutsideBrackets,
  stripMarkdown,
} from './ingredient-text';
import { isKitchenTool } from './kitchen-tools';
import { parseProseMinutes } from './prose-duration';

/** Upstream category folders → catalog slug and the Chinese name HowToCook's own index uses. */
export const HOWTOCOOK_CATEGORIES: Readonly<Record<string, { slug: string; tag: string }>> = {
  meat_dish: { slug: 'meat-dish', tag: '荤菜' },
  vegetable_dish: { slug: 'vegetable-dish', tag: '素菜' },
  staple: { slug: 'staple', tag: '主食' },
  aquatic: { slug: 'seafood', tag: '水产' },
  breakfast: { slug: 'breakfast', tag: '早餐' },
  drink: { slug: 'drink', tag: '饮料' },
  soup: { slug: 'soup', tag: '汤与粥' },
  dessert: { slug: 'dessert', tag: '甜品' },
  'semi-finished': { slug: 'semi-finished', tag: '半成品加工' },
  condiment: { slug: 'condiment', tag: '酱料和其它材料' },
};

const BOILERPLATE_TIP = /如果您遵循本指南/;
const LIST_HEADING_WORD =
  /^(?:必备|必须|所需|可选|额外)?(?:工具|用具|原料|食材|材料|调料|调味料|配料|主料|辅料|副食材|主食材)?(?:及工具)?:?$/;
const UNIT = '(?:g|kg|mg|ml|l|克|千克|毫升|升|个|只|根|瓣|片|条|颗|粒|勺|汤匙|茶匙|斤|两|瓶|包|盒|袋|块|把|碗|杯|张|头|支)';
const LEADING_QUANTITY = new RegExp(`^(\\d+(?:\\.\\d+)?\\s*${UNIT})\\s*(.+)$`, 'i');
const TRAILING_QUANTITY = new RegExp(`^(.+?)\\s*(\\d+(?:\\.\\d+)?(?:\\s*[-~～]\\s*\\d+(?:\\.\\d+)?)?\\s*${UNIT}?)$`, 'i');
const TRAILING_WORD_QUANTITY =
  /^(.+?)((?:[一两二三四五六七八九十半]+)(?:个|只|根|瓣|片|条|颗|勺|包|盒|袋|块|把|碗|杯|双|张|口|瓶|头|支)|若干)$/;

interface ListMode {
  optional: boolean;
  tools: boolean;
}

interface Section {
  heading: string;
  lines: string[];
}

export interface DishContext {
  sourceId: string;
  /** Upstream category folder (meat_dish…); absent for a lone file outside `dishes/`. */
  categoryFolder?: string;
}

/** Parses one HowToCook dish file; returns a reason string when the file is not a dish. */
export function parseHowToCookDish(markdown: string, context: DishContext): RecipeInput | string {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r?\n/);
  const titleIndex = lines.findIndex((line) => /^#\s+\S/.test(line));
  if (titleIndex < 0) return 'no "# <菜名>的做法" title';
  const name = cleanText(lines[titleIndex].replace(/^#\s+/, '').replace(/的做法\s*$/, ''));
  if (!name) return 'empty title';

  const sections = splitSections(lines.slice(titleIndex + 1));
  const intro = sections.find((section) => section.heading === '')?.lines ?? [];
  const ingredientSection = findSection(sections, '必备原料');
  if (!ingredientSection) return 'no "## 必备原料和工具" section';

  const { ingredients, tools } = parseIngredientList(ingredientSection.lines);
  if (ingredients.length === 0) return 'no ingredients in "## 必备原料和工具"';
  applyQuantities(ingredients, parseCalculations(findSection(sections, '计算')?.lines ?? []));

  const description = parseDescription(intro);
  const category = context.categoryFolder ? HOWTOCOOK_CATEGORIES[context.categoryFolder] : undefined;
  const steps = parseSteps(findSection(sections, '操作')?.lines ?? []);
  const tips = parseTips(findSection(sections, '附加内容')?.lines ?? []);
  const introText = intro.join('\n');
  const difficulty = /预估烹饪难度[:：]\s*(★+)/.exec(introText)?.[1].length;
  const calories = /预估卡路里[:：]\s*(\d+(?:\.\d+)?)/.exec(introText)?.[1];
  const totalMinutes = description ? parseProseMinutes(description) : undefined;

  const recipe: RecipeInput = {
    name,
    source: 'howtocook',
    sourceId: context.sourceId,
    ingredients,
    language: 'zh',
    cuisine: 'chinese',
  };
  if (description) recipe.description = description;
  if (category) {
    recipe.category = category.slug;
    recipe.tags = [category.tag];
  }
  if (steps.length > 0) recipe.steps = steps;
  if (tools.length > 0) recipe.tools = tools;
  if (difficulty) recipe.difficulty = Math.min(5, Math.max(1, difficulty));
  if (calories) recipe.calories = Number(calories);
  if (totalMinutes !== undefined) recipe.totalMinutes = totalMinutes;
  if (tips.length > 0) recipe.extra = { tips };
  return recipe;
}

function splitSections(lines: string[]): Section[] {
  const sections: Section[] = [{ heading: '', lines: [] }];
  for (const line of lines) {
    const heading = /^##\s+(.+)$/.exec(line);
    if (heading) sections.push({ heading: heading[1].trim(), lines: [] });
    else sections[sections.length - 1].lines.push(line);
  }
  return sections;
}

function findSection(sections: Section[], keyword: string): Section | undefined {
  return sections.find((section) => section.heading.includes(keyword));
}

function parseDescription(intro: string[]): string | undefined {
  const stop = intro.findIndex((line) => /预估烹饪难度|预估卡路里/.test(line));
  const paragraphs = (stop < 0 ? intro : intro.slice(0, stop)).map(stripMarkdown).filter((line) => line.length > 0);
  return paragraphs.length > 0 ? paragraphs.join('\n\n') : undefined;
}

function modeFor(heading: string): ListMode {
  const text = normalizeWidth(heading);
  return {
    tools: /工具|用具|器具/.test(text) && !/原料|材料|食材/.test(text),
    optional: isOptionalMarker(text) || /额外|可额外/.test(text),
  };
}

/** Bullets of "## 必备原料和工具", split into ingredients and tools. */
export function parseIngredientList(lines: string[]): { ingredients: Ingredient[]; tools: string[] } {
  const ingredients: Ingredient[] = [];
  const tools: string[] = [];
  let mode: ListMode = { optional: false, tools: false };

  for (const raw of lines) {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('>') || trimmed.startsWith('![') || /^-{3,}$/.test(trimmed)) continue;
    const heading = /^#{3,}\s*(.+)$/.exec(trimmed) ?? /^\*\*(.+?)\*\*\s*[:：]?$/.exec(trimmed);
    const bullet = /^(?:[-*+]|\d+\.)\s+(.+)$/.exec(trimmed);
    if (heading) {
      mode = modeFor(heading[1]);
      continue;
    }
    if (!bullet) {
      // Short unbulleted lines act as sub-headings ("工具", "可选（洒在顶部）"); prose is ignored.
      const text = stripMarkdown(trimmed);
      if (text.length <= 16 && !/[。]/.test(text)) mode = modeFor(text);
      continue;
    }
    const text = normalizeWidth(stripMarkdown(bullet[1]));
    if (LIST_HEADING_WORD.test(text) && text.length > 0) {
      mode = modeFor(text);
      continue;
    }
    readBullet(text, mode, ingredients, tools);
  }
  return { ingredients: dedupeIngredients(ingredients), tools: dedupeStrings(tools) };
}

/** Advice that sits in a bullet where an ingredient is expected ("挂面或者鲜面条也行", "参见…"). */
const PROSE = /[!！?？]|即可|也行|都可以|可依据|可根据|参见|不要|会很|最为|能够|^可以是|^也可以|^作为/;
const LEADING_FILLER = /^(?:例如|比如|需要|必备|另准备)\s*/;

function readBullet(text: string, mode: ListMode, ingredients: Ingredient[], tools: string[]): void {
  if (/^注\s*:/.test(text)) return;
  let body = text;
  let optional = mode.optional;
  let toolHint = mode.tools;
  // "（可选）：鸡蛋，青菜" and "可选：黄油" qualify every item of the bullet.
  const lead = /^\(([^)]*)\)\s*:\s*/.exec(body) ?? /^([^:()[\]=]{1,8}):\s*/.exec(body);
  if (lead) {
    const label = lead[1];
    if (/工具/.test(label)) toolHint = true;
    if (isOptionalMarker(label)) optional = true;
    const rest = body.slice(lead[0].length);
    // "百味来拿坡里意面酱：1 罐" is a name and an amount, not a label.
    if (/^\d/.test(rest) && !/工具|可选|料|材|必备/.test(label)) body = `${label} ${rest}`;
    else body = rest;
  }

  for (const item of splitOutsideBrackets(body)) {
    const equals = /^([^=]+?)\s*=\s*(.+)$/.exec(item);
    const { text: noted, notes } = extractNotes(equals ? equals[1] : item);
    // "（色拉油 或 菜籽油） 1000 ml": the note is the name.
    const bare = cleanText(
      (/^[\d.]+\s*\S{0,3}$/.test(noted) && notes[0] ? `${notes[0]} ${noted}` : noted)
        .replace(/\s*[—–]+.*$/, '')
        .replace(LEADING_FILLER, ''),
    );
    if (!bare || bare.endsWith(':') || /[。]|包含|如下/.test(bare) || PROSE.test(bare) || bare.length > 30) continue;
    const itemOptional = optional || notes.some(isOptionalMarker) || /可选/.test(bare);
    const split = splitQuantity(bare.replace(/可选/g, '').trim());
    const name = split.name;
    const quantity = equals ? cleanText(equals[2]) : split.quantity;
    if (!name || (/^[\d.]/.test(name) && !/[^\d.\s]{2,}/.test(name))) continue;

    const alternatives = splitOutsideBrackets(name, /[/或]/).map((part) => part.replace(/^者\s*/, ''));
    const leadingWord = name.split(' ')[0];
    if (toolHint || isKitchenTool(name) || alternatives.every(isKitchenTool) || (name.includes(' ') && isKitchenTool(leadingWord))) {
      const whole = name.includes(' ') && isKitchenTool(leadingWord) && !isKitchenTool(name) ? leadingWord : name;
      const parts = alternatives.length > 1 && alternatives.every(isKitchenTool) ? alternatives : [whole];
      // "刀和砧板" names two tools at once.
      for (const part of parts.flatMap((p) => p.split('和'))) if (part.trim()) tools.push(part.trim());
      continue;
    }
    // Alternatives ("小葱/大葱/洋葱", "料酒或啤酒") fill one slot of the dish: kept as one name.
    const ingredient: Ingredient = { name };
    if (quantity) ingredient.quantity = quantity;
    if (itemOptional) ingredient.optional = true;
    ingredients.push(ingredient);
  }
}

function splitQuantity(text: string): { name: string; quantity?: string } {
  const leading = LEADING_QUANTITY.exec(text);
  if (leading) return { name: leading[2].trim(), quantity: cleanText(leading[1]) };
  const trailing = TRAILING_QUANTITY.exec(text);
  if (trailing && /[^\d\s.]/.test(trailing[1])) return { name: trailing[1].trim(), quantity: cleanText(trailing[2]) };
  const word = TRAILING_WORD_QUANTITY.exec(text);
  if (word) return { name: word[1].trim(), quantity: word[2] };
  return { name: text };
}

interface Calculation {
  name: string;
  quantity: string;
}

/**
 * "鸡蛋 = 1.5 个 * 份数", "盐量 = 兔肉斤数 * 2 克", "啤酒 1000 ml" → name and free-text amount. The
 * words around a name ("油用量为 15ml/人", "青椒的数量 = 份数 * 3 个") are dropped, so the line
 * matches its ingredient by exact name.
 */
export function parseCalculations(lines: string[]): Calculation[] {
  const calculations: Calculation[] = [];
  const add = (rawName: string, rawQuantity: string): void => {
    const name = extractNotes(rawName)
      .text.replace(/(的)?(总量|用量|数量|量|数)(通常来说)?为?$/, '')
      .trim();
    const quantity = cleanText(rawQuantity);
    if (name && quantity) calculations.push({ name, quantity });
  };
  for (const raw of lines) {
    const text = normalizeWidth(stripMarkdown(raw.trim().replace(/^(?:[-*+]|\d+\.)\s+/, '')));
    if (!text) continue;
    const equation = /^([^=]+?)\s*=\s*(.+)$/.exec(text) ?? /^([^:\d]{1,12}?)\s*:\s*(.+)$/.exec(text);
    if (equation) {
      add(equation[1], equation[2]);
      continue;
    }
    // "青椒 2 条，红椒 1 条": several "name amount" pairs; trailing remarks stay with the amount before.
    let last: { name: string; parts: string[] } | undefined;
    const flush = (): void => {
      if (last) add(last.name, last.parts.join('，'));
    };
    for (const piece of splitOutsideBrackets(text, /[，,]/)) {
      const pair = /^([^\d\s]{1,12})\s*(\d.*)$/.exec(piece);
      if (pair) {
        flush();
        last = { name: pair[1], parts: [pair[2]] };
      } else if (last) {
        last.parts.push(piece);
      }
    }
    flush();
  }
  return calculations;
}

/**
 * Gives each ingredient without an amount the 计算 line that names it.
 *
 * A line with the ingredient's exact name wins. Otherwise a line whose name contains the
 * ingredient's, or is contained in it (姜 and 姜末, 鸡蛋 and 新鲜鸡蛋), is taken, but only when:
 * - no other ingredient of the dish has exactly that line's name: 红烧鱼 lists 油 and 酱油, and
 *   `酱油 5ml` is the soy sauce's, not the oil's; 新疆大盘鸡's `油 50g` is the oil's, not
 *   蚝油's; 牛排's `牛排 450-500g` is the steak's, not 预制牛排酱汁's;
 * - exactly one line is left: 血浆鸭 lists 酒 and has lines for 高度白酒, 啤酒 and 米酒, and the
 *   name cannot say which is meant. No amount is better than another ingredient's.
 */
function applyQuantities(ingredients: Ingredient[], calculations: Calculation[]): void {
  const listed = new Set(ingredients.map((ingredient) => ingredient.name));
  for (const ingredient of ingredients) {
    if (ingredient.quantity) continue;
    const name = ingredient.name;
    const exact = calculations.find((calc) => calc.name === name);
    if (exact) {
      ingredient.quantity = exact.quantity;
      continue;
    }
    const loose = calculations.filter((calc) => !listed.has(calc.name) && (calc.name.includes(name) || name.includes(calc.name)));
    // A line written twice (same name, same amount) is one candidate, not two.
    const distinct = new Set(loose.map((calc) => `${calc.name}\u0000${calc.quantity}`));
    if (distinct.size === 1) ingredient.quantity = loose[0].quantity;
  }
}

/** Numbered items, with their sub-bullets appended; dishes written as bullets only fall back to those. */
export function parseSteps(lines: string[]): string[] {
  const numbered: string[] = [];
  const bullets: string[] = [];
  let current: number | undefined;
  for (const raw of lines) {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('![')) continue;
    if (/^#{3,}\s/.test(trimmed)) {
      current = undefined;
      continue;
    }
    const step = /^\d+[.、)]\s*(.+)$/.exec(trimmed);
    const bullet = /^[-*+]\s+(.+)$/.exec(trimmed);
    if (step) {
      const text = stripMarkdown(step[1]);
      if (text) current = numbered.push(text) - 1;
    } else if (bullet) {
      const text = stripMarkdown(bullet[1]);
      if (!text) continue;
      if (current !== undefined) numbered[current] = `${numbered[current]}；${text}`;
      else bullets.push(text);
    }
  }
  return numbered.length > 0 ? numbered : bullets;
}

function parseTips(lines: string[]): string[] {
  return lines
    .map((line) => stripMarkdown(line.trim().replace(/^(?:[-*+]|\d+\.|#{3,})\s+/, '')))
    .filter((line) => line.length > 0 && !BOILERPLATE_TIP.test(line));
}
