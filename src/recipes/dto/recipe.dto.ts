import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BilingualLabelDto } from '../../catalog-insight/dto/catalog-insight.dto';

/** Response shapes of the catalog routes: what `Recipe` (recipe.types.ts) looks like on the wire. */

export class StoredIngredientDto {
  @ApiProperty({ example: '鸡胸肉' })
  name: string;

  @ApiPropertyOptional({ example: '300 g' })
  quantity?: string;

  @ApiPropertyOptional({ example: false })
  optional?: boolean;

  @ApiPropertyOptional({ example: 'chicken', description: 'The food concept the lexicon resolved the name to; absent when it did not' })
  concept?: string;
}

const nullableString = (example?: string) => ApiProperty({ type: String, nullable: true, example });
const nullableNumber = (type: 'integer' | 'number', example?: number) => ApiProperty({ type, nullable: true, example });

export class RecipeDto {
  @ApiProperty({ example: 'r9c1e953e8b94b032', description: 'Stable: derived from (source, sourceId)' })
  id: string;

  @ApiProperty({ example: '宫保鸡丁' })
  name: string;

  @nullableString()
  description: string | null;

  @ApiProperty({ example: 'zh' })
  language: string;

  @ApiProperty({ example: 'howtocook' })
  source: string;

  @ApiProperty({ example: 'dishes/meat_dish/宫保鸡丁/宫保鸡丁.md' })
  sourceId: string;

  @nullableString('meat-dish')
  category: string | null;

  @nullableString('chinese')
  cuisine: string | null;

  @nullableString('Sichuan')
  region: string | null;

  @ApiProperty({ type: [StoredIngredientDto] })
  ingredients: StoredIngredientDto[];

  @ApiProperty({ type: [String] })
  steps: string[];

  @ApiProperty({ type: [String] })
  tags: string[];

  @ApiProperty({ type: [String], example: ['gluten-free'], description: 'As given, plus those the ingredients allow' })
  diets: string[];

  @ApiProperty({ type: [String], example: ['spicy'] })
  flavors: string[];

  @ApiProperty({ type: [String], example: ['stir-fry'] })
  methods: string[];

  @ApiProperty({ type: [String] })
  tools: string[];

  @ApiProperty({ type: [String], example: ['peanut'], description: 'Allergen groups derived from the ingredients' })
  allergens: string[];

  @nullableNumber('integer', 30)
  totalMinutes: number | null;

  @nullableNumber('integer', 3)
  difficulty: number | null;

  @nullableNumber('integer', 650)
  calories: number | null;

  @nullableNumber('number', 2)
  servings: number | null;

  @nullableString()
  url: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Anything else the source states' })
  extra: Record<string, unknown>;

  @ApiProperty({ description: 'Hash of the indexed content: unchanged content is not re-indexed' })
  contentHash: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class RecipeFamilyDto {
  @ApiProperty({ example: 3, description: 'GET /api/families/{id}' })
  id: number;

  @ApiProperty({ type: BilingualLabelDto })
  label: BilingualLabelDto;
}

/** `GET /api/recipes/:id`: the stored recipe and what other features add to it. */
export class RecipeDetailDto extends RecipeDto {
  @ApiProperty({ type: RecipeFamilyDto, nullable: true, description: 'The dish family it belongs to; null before families are computed' })
  family: RecipeFamilyDto | null;
}

export class RecipePageDto {
  @ApiProperty({ type: [RecipeDto] })
  items: RecipeDto[];

  @ApiProperty({ description: 'Recipes matching the filters in all' })
  total: number;

  @ApiProperty()
  limit: number;

  @ApiProperty()
  offset: number;
}
