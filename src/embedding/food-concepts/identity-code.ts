import { SeededRandom } from '../../common/seeded-random';
import { fnv1a32 } from './term-hash';

/**
 * A sparse random ±1 code derived from the concept id alone: nearly orthogonal between
 * different concepts, identical for the same one. Appended to the co-occurrence vector it keeps
 * an exact concept match ("chicken" ↔ chicken) ahead of a merely similar one (chicken ↔ pork),
 * and it gives concepts unseen in training a usable vector.
 */
export function identityCode(conceptId: string, dims: number, nonZeros: number): Float64Array {
  const code = new Float64Array(dims);
  if (dims === 0) return code;
  const count = Math.min(nonZeros, dims);
  const random = new SeededRandom(fnv1a32(`identity:${conceptId}`));
  const value = 1 / Math.sqrt(count);
  let placed = 0;
  while (placed < count) {
    const position = random.nextInt(dims);
    if (code[position] !== 0) continue;
    code[position] = random.next() < 0.5 ? -value : value;
    placed++;
  }
  return code;
}
