import { FoodConceptModel } from '../embedding/food-concepts/food-concept.model';
import { isLearnedConcept, learnedConceptId } from '../embedding/learned-concepts/learned-concepts';
import { FoodLexicon } from '../text/food-lexicon';
import { UnresolvedNameDto } from './dto/unresolved-names.dto';
import { conceptNames } from './recipe-facts';

/** Lexicon concepts listed beside each learned name. */
const NEIGHBOURS = 5;

/**
 * Kinds a neighbour may be: what a food is cooked with and how. Diets and courses are left out:
 * they follow from every dish's ingredients and crowded the top of every list (a name found in
 * vegetarian dishes had "vegetarian" and "pescatarian" as its nearest concepts).
 */
const NEIGHBOUR_KINDS = new Set(['ingredient', 'flavor', 'method', 'cuisine']);

/**
 * The commonest ingredient names the lexicon did not resolve, as the model saw them when it was
 * trained, with the lexicon concepts nearest to each learned one: what to add to the lexicon
 * next, and whether the learned vector already placed it sensibly.
 */
export function unresolvedNames(model: FoodConceptModel, lexicon: FoodLexicon, limit: number): UnresolvedNameDto[] {
  return model.unresolved.slice(0, limit).map(({ name, recipes }) => {
    const id = learnedConceptId(name);
    const learned = model.documentFrequency(id) > 0;
    const neighbours = learned
      ? model
          .nearestConcepts(id, NEIGHBOURS, (other) => !isLearnedConcept(other) && NEIGHBOUR_KINDS.has(lexicon.get(other)?.kind ?? ''))
          .map((n) => {
            const concept = lexicon.get(n.id)!;
            return { id: n.id, kind: concept.kind, ...conceptNames(lexicon, n.id), similarity: round(n.similarity) };
          })
      : [];
    return { name, recipes, learned, ...(learned ? { concept: id } : {}), neighbours };
  });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
