import { Ingredient } from '../recipe.types';

/** Text clean-up shared by the importers. Names stay as the source spells them; only layout noise goes. */

const FULL_WIDTH_PUNCTUATION: Record<string, string> = {
  '（': '(',
  '）': ')',
  '【': '[',
  '】': ']',
  '：': ':',
  '；': ';',
  '　': ' ',
};

/** Full-width brackets, colons and spaces become ASCII so one regex handles both spellings. */
export function normalizeWidth(text: string): string {
  return text.replace(/[（）【】：；\u3000]/g, (ch) => FULL_WIDTH_PUNCTUATION[ch] ?? ch);
}

/** Collapses runs of whitespace and trims. */
export function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits a list field on the separators the sources use, dropping blanks. */
export function splitList(text: string | undefined, separators: RegExp = /[、,，;；]/): string[] {
  if (!text) return [];
  return text
    .split(separators)
    .map(cleanText)
    .filter((part) => part.length > 0);
}

export interface NotedText {
  text: string;
  notes: string[];
}

/**
 * Removes parenthesised notes, nested or not, full- or half-width. An unclosed "(" swallows the
 * rest of the text: "32 厘米以上的炒锅一个(锅太小难炒" is how real bullets end.
 */
export function extractNotes(raw: string): NotedText {
  const text = normalizeWidth(raw);
  const notes: string[] = [];
  let kept = '';
  let depth = 0;
  let note = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') {
      if (depth > 0) note += ch;
      depth += 1;
    } else if ((ch === ')' || ch === ']') && depth > 0) {
      depth -= 1;
      if (depth === 0) {
        notes.push(cleanText(note));
        note = '';
      } else {
        note += ch;
      }
    } else if (depth > 0) {
      note += ch;
    } else {
      kept += ch;
    }
  }
  if (depth > 0 && note.trim()) notes.push(cleanText(note));
  return { text: cleanText(kept), notes: notes.filter(Boolean) };
}

const OPTIONAL_MARKERS = /可选|选配|非必需|非必须|可加可不加|可以不用|可不加|可不放|可以不放|备选|optional/i;

/** True when a note or heading says the item may be left out. */
export function isOptionalMarker(text: string): boolean {
  return OPTIONAL_MARKERS.test(text);
}

/**
 * Keeps the first occurrence of each ingredient name (case-insensitive), merging what later
 * mentions add: a quantity it lacked, and "required" beats "optional" when the source lists
 * an item both ways.
 */
export function dedupeIngredients(ingredients: Ingredient[]): Ingredient[] {
  const byName = new Map<string, Ingredient>();
  for (const ingredient of ingredients) {
    const key = ingredient.name.toLowerCase();
    const seen = byName.get(key);
    if (!seen) {
      byName.set(key, { ...ingredient });
      continue;
    }
    if (!seen.quantity && ingredient.quantity) seen.quantity = ingredient.quantity;
    if (seen.optional && !ingredient.optional) delete seen.optional;
  }
  return [...byName.values()];
}

/** Case-insensitive de-duplication of plain strings, first spelling wins. */
export function dedupeStrings(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const key = value.toLowerCase();
    if (!value || seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/** A URL- and file-safe id from an English name: "Chicken Tikka masala" → "chicken-tikka-masala". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Splits on separators that sit outside brackets, so "风味调料（如鸡粉、孜然，可选）" stays one item
 * while "盐、糖" becomes two.
 */
export function splitOutsideBrackets(text: string, separators: RegExp = /[、,，;；+]/): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(' || ch === '（' || ch === '[' || ch === '【') depth += 1;
    if ((ch === ')' || ch === '）' || ch === ']' || ch === '】') && depth > 0) depth -= 1;
    if (depth === 0 && separators.test(ch)) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(cleanText).filter((part) => part.length > 0);
}

/** Markdown decoration that must not reach a name, a step or a tip. */
export function stripMarkdown(text: string): string {
  return cleanText(
    text
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/`/g, '')
      .replace(/\*\*|__|~~/g, '')
      .replace(/(^|\s)\*(\S[^*]*\S|\S)\*(?=\s|$)/g, '$1$2'),
  );
}
