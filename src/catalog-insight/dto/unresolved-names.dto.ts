import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { QueryInt } from '../../common/validation-decorators';

export const MAX_UNRESOLVED_LIMIT = 500;

export class UnresolvedNamesQuery {
  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: MAX_UNRESOLVED_LIMIT })
  @IsOptional()
  @QueryInt(1, MAX_UNRESOLVED_LIMIT)
  limit: number = 50;
}

export class ConceptNeighbourDto {
  @ApiProperty({ example: 'black-bean' })
  id: string;

  @ApiProperty({ example: 'ingredient', description: 'Lexicon kind: ingredient, flavor, method, course, cuisine, diet…' })
  kind: string;

  @ApiProperty({ example: '黑豆' })
  zh: string;

  @ApiProperty({ example: 'black bean' })
  en: string;

  @ApiProperty({ description: 'Cosine similarity of the learned co-occurrence vectors', example: 0.81 })
  similarity: number;
}

export class UnresolvedNameDto {
  @ApiProperty({ description: 'The normalised name (amounts, units, preparation words removed, singular)', example: 'corn tortilla' })
  name: string;

  @ApiProperty({ description: 'Recipes of the training catalog that list it', example: 42 })
  recipes: number;

  @ApiProperty({ description: 'Whether the model learned it as a concept (it occurs in at least `minRecipes` recipes)' })
  learned: boolean;

  @ApiPropertyOptional({ description: 'The learned concept id, when learned', example: 'learned:corn tortilla' })
  concept?: string;

  @ApiProperty({
    type: [ConceptNeighbourDto],
    description: 'The nearest lexicon concepts by the learned vector, closest first (empty when not learned)',
  })
  neighbours: ConceptNeighbourDto[];
}

export class UnresolvedNamesResponseDto {
  @ApiProperty({ description: 'The concept model the counts and vectors come from' })
  modelId: string;

  @ApiProperty({ description: 'Recipes that model was trained on: the whole catalog, or its sample (see `sampleRate`)' })
  trainedOnRecipes: number;

  @ApiProperty({
    description:
      'Share of the catalog the model was trained on: 1, or less once the catalog outgrew TRAINING_SAMPLE_MAX and was sampled by recipe id',
    example: 1,
    minimum: 0,
    maximum: 1,
  })
  sampleRate: number;

  @ApiProperty({ description: 'Recipes in the catalog when the model was trained' })
  catalogRecipes: number;

  @ApiProperty({ description: 'Recipes a name must occur in to be learned', example: 3 })
  minRecipes: number;

  @ApiProperty({ description: 'Learned concepts in the model' })
  learnedConcepts: number;

  @ApiProperty({ type: [UnresolvedNameDto], description: 'Commonest first' })
  items: UnresolvedNameDto[];
}
