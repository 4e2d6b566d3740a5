import { basicNormalize, cleanIngredientName, foldPlural, hasCjk } from '../../text/text-normalizer';

/**
 * Ingredient strings the lexicon does not resolve, reduced to the food they name, so that the
 * dozen ways a catalog writes one ingredient ("2 cups chopped fresh cilantro", "Cilantro
 * leaves, to taste", "fresh cilantro") count as one learned concept.
 *
 * English: lower case, amounts and units, notes in brackets, text after a comma, trailing
 * "to taste"-style phrases, preparation, size, freshness and grade words and trademarked words
 * go; the first of several alternatives ("butter or margarine") stays; words are made singular.
 * "ground" stays before a meat ("ground beef" is mince, a food of its own) and goes before
 * anything else ("ground cumin" is cumin). Chinese strings keep their characters. Empty when
 * nothing is left.
 */
export function normalizeIngredientName(raw: string): string {
  if (hasCjk(raw)) return cleanIngredientName(raw).replace(/\s+/g, '');
  const text = basicNormalize(raw)
    .replace(/\([^)]*\)?|\[[^\]]*\]?/g, ' ')
    // A trademarked word is a brand: "Kraft® Cheddar" is cheddar.
    .replace(/[\p{L}\p{N}'’.-]*[®™©]/gu, ' ');
  // "1 lb boneless, skinless chicken breasts, cut up": the first part that names a food.
  for (const part of text.split(/[,;:]/)) {
    const name = normalizePart(part);
    if (name) return name;
  }
  return '';
}

function normalizePart(part: string): string {
  let text = part.replace(TRAILING_NOTES, ' ').replace(DIET_GRADES, ' ');
  text = text
    .replace(/(\d)\s*(?=[a-z])/g, '$1 ')
    .replace(/[\d½¼¾⅓⅔⅛⅜⅝⅞]+(?:[.,/⁄-][\d½¼¾⅓⅔⅛]+)*/g, ' ')
    .replace(/[’']s\b/g, '');
  text = text.split(/\s+(?:or|and\/or)\s+|\s*\/\s*/)[0];
  const words = text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const next = words[i + 1];
    if (DESCRIPTIVE_WORDS.has(word) || UNITS.has(word)) continue;
    // "pinch of salt", "2 cans of tomatoes": the "of" after an amount.
    if (word === 'of' && kept.length === 0) continue;
    if (word === 'ground' && !(next && MEATS.has(foldPlural(next)))) continue;
    // "2 cloves garlic" / "garlic cloves" are garlic; "whole cloves" is the spice.
    if ((word === 'clove' || word === 'cloves') && words.includes('garlic')) continue;
    kept.push(word);
  }
  while (kept.length > 0 && CONNECTORS.has(kept[kept.length - 1])) kept.pop();
  while (kept.length > 0 && CONNECTORS.has(kept[0])) kept.shift();
  return kept.map(singular).join(' ');
}

function singular(word: string): string {
  return SINGULAR_EXCEPTIONS[word] ?? foldPlural(word);
}

/** Phrases that end a line's food and start a note about it. */
const TRAILING_NOTES =
  /\b(?:to taste|as needed|as required|for (?:garnish|garnishing|serving|frying|greasing|dusting|decoration|the \w+)|plus more\b.*|or more\b.*|or to taste\b.*|divided|optional|if desired|at room temperature|room temperature)\b/g;

/** "low-fat", "reduced sodium", "fat-free": a grade of the food; "gluten-free flour" stays a food of its own. */
const DIET_GRADES = /\b(?:(?:low|lower|reduced|less)[\s-]?(?:fat|sodium|sugar|calorie)|(?:fat|sodium|sugar)[\s-]free|non[\s-]?fat)\b/g;

/** Measures, containers and portions: amounts, not foods. */
const UNITS = new Set(
  (
    'cup cups c tablespoon tablespoons tbsp tbs tbl tbsps teaspoon teaspoons tsp tsps t oz ounce ounces lb lbs pound pounds ' +
    'g gram grams gr kg kilogram kilograms mg ml milliliter milliliters millilitre millilitres l liter liters litre litres dl cl ' +
    'pint pints quart quarts qt gallon gallons fl fluid pinch pinches dash dashes drop drops handful handfuls bunch bunches ' +
    'sprig sprigs stalk stalks stick sticks slice slices piece pieces head heads can cans jar jars package packages pkg pkgs ' +
    'packet packets bag bags box boxes bottle bottles carton cartons container containers envelope envelopes inch inches cm mm ' +
    'x dozen scoop scoops knob few some'
  ).split(' '),
);

/**
 * Words about preparation, size, freshness, grade or origin that leave the food the same:
 * "finely chopped fresh", "large", "boneless skinless", "extra virgin", "kosher".
 */
const DESCRIPTIVE_WORDS = new Set(
  (
    'chopped minced diced sliced grated shredded crushed peeled seeded deseeded cored pitted cubed julienned halved quartered ' +
    'trimmed rinsed drained washed cleaned melted softened beaten whisked sifted packed loosely firmly lightly heaped heaping ' +
    'level rounded thinly thickly finely coarsely roughly freshly fresh frozen thawed dried dry ripe unripe raw cooked uncooked ' +
    'leftover large small medium big little mini jumbo extra boneless skinless bone skin lean thick thin cut into pieces ' +
    'bite sized size chunks chunk cubes cube strips strip wedges wedge rings ring florets floret torn snipped mashed pureed ' +
    'toasted roasted cold warm boiling chilled cool softened kosher organic natural pure virgin good quality homemade ' +
    'store bought storebought prepared canned tinned jarred bottled instant quick unsalted salted ' +
    'light plain premium imported domestic about approximately approx optional generous scant additional ' +
    'needed favorite favourite preferably'
  ).split(' '),
);

/** Meats whose ground form is a food of its own (mince). */
const MEATS = new Set(['beef', 'pork', 'lamb', 'veal', 'turkey', 'chicken', 'meat', 'sausage', 'bison', 'venison', 'mutton']);

const CONNECTORS = new Set(['and', 'or', 'of', 'with', 'in', 'a', 'an', 'the', 'for', 'to', 'into', 'plus']);

/** Words the plural rule would spoil: "molasses" is not a plural, "cookies" is not "cooky". */
const SINGULAR_EXCEPTIONS: Record<string, string> = {
  molasses: 'molasses',
  hummus: 'hummus',
  couscous: 'couscous',
  swiss: 'swiss',
  brussels: 'brussels',
  grits: 'grits',
  oats: 'oat',
  cookies: 'cookie',
  brownies: 'brownie',
  pies: 'pie',
  chilies: 'chili',
  chillies: 'chilli',
  calories: 'calorie',
  anise: 'anise',
  lettuce: 'lettuce',
  cheese: 'cheese',
  sauce: 'sauce',
  rice: 'rice',
  juice: 'juice',
  paste: 'paste',
  bass: 'bass',
  asparagus: 'asparagus',
  citrus: 'citrus',
  watercress: 'watercress',
  series: 'series',
  species: 'species',
};
