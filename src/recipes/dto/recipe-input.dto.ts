import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsPlainObject, MaxDepth, NestedObjectArray, NotBlank } from '../../common/validation-decorators';

/** Limits that keep one recipe a recipe: also the longest text the embedders will see. */
export const RECIPE_LIMITS = {
  name: 300,
  text: 20_000,
  short: 200,
  items: 500,
  listItem: 5_000,
  /** `extra` as the importers write it is at most 3 levels deep (GialloZafferano's ingredient details). */
  extraDepth: 8,
} as const;

export class IngredientDto {
  @ApiProperty({ example: '鸡胸肉', maxLength: RECIPE_LIMITS.short })
  @IsString()
  @NotBlank()
  @MaxLength(RECIPE_LIMITS.short)
  name: string;

  @ApiPropertyOptional({ example: '300 g' })
  @IsOptional()
  @IsString()
  @MaxLength(RECIPE_LIMITS.short)
  quantity?: string;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  optional?: boolean;
}

const stringList = (example: string[]) =>
  [
    ApiPropertyOptional({ type: [String], example }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(RECIPE_LIMITS.items),
    IsString({ each: true }),
    MaxLength(RECIPE_LIMITS.listItem, { each: true }),
  ] as PropertyDecorator[];

function applyAll(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export class RecipeInputDto {
  @ApiProperty({ example: '宫保鸡丁', maxLength: RECIPE_LIMITS.name })
  @IsString()
  @NotBlank()
  @MaxLength(RECIPE_LIMITS.name)
  name: string;

  @ApiProperty({ example: 'howtocook', description: 'Where the recipe came from; unique together with sourceId' })
  @IsString()
  @NotBlank()
  @MaxLength(RECIPE_LIMITS.short)
  source: string;

  @ApiProperty({ example: 'dishes/meat_dish/宫保鸡丁/宫保鸡丁.md' })
  @IsString()
  @NotBlank()
  @MaxLength(1000)
  sourceId: string;

  @ApiProperty({ type: [IngredientDto], minItems: 1 })
  @NestedObjectArray(() => IngredientDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(RECIPE_LIMITS.items)
  ingredients: IngredientDto[];

  @ApiPropertyOptional({ maxLength: RECIPE_LIMITS.text })
  @IsOptional()
  @IsString()
  @MaxLength(RECIPE_LIMITS.text)
  description?: string;

  @ApiPropertyOptional({ example: 'zh', description: 'Detected from the name and ingredients when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  language?: string;

  @ApiPropertyOptional({ example: 'meat-dish' })
  @IsOptional()
  @IsString()
  @MaxLength(RECIPE_LIMITS.short)
  category?: string;

  @ApiPropertyOptional({ example: 'chinese' })
  @IsOptional()
  @IsString()
  @MaxLength(RECIPE_LIMITS.short)
  cuisine?: string;

  @ApiPropertyOptional({ example: 'Sichuan' })
  @IsOptional()
  @IsString()
  @MaxLength(RECIPE_LIMITS.short)
  region?: string;

  @applyAll(stringList(['鸡胸肉切丁，用料酒腌制 10 分钟']))
  steps?: string[];

  @applyAll(stringList(['下饭', '家常菜']))
  tags?: string[];

  @applyAll(stringList(['vegetarian']))
  diets?: string[];

  @applyAll(stringList(['spicy']))
  flavors?: string[];

  @applyAll(stringList(['stir-fry']))
  methods?: string[];

  @applyAll(stringList(['炒锅']))
  tools?: string[];

  @ApiPropertyOptional({ type: 'integer', example: 30, minimum: 0, maximum: 10080 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10080)
  totalMinutes?: number;

  @ApiPropertyOptional({ type: 'integer', example: 3, minimum: 1, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  difficulty?: number;

  @ApiPropertyOptional({ type: 'integer', example: 650, minimum: 0, maximum: 1_000_000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  calories?: number;

  @ApiPropertyOptional({ example: 2, minimum: 0, maximum: 10_000 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(10_000)
  servings?: number;

  @ApiPropertyOptional({ example: 'https://example.org/recipe/1' })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({
    description: `Anything else the source states; objects and arrays nested at most ${RECIPE_LIMITS.extraDepth} levels deep`,
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsPlainObject()
  @MaxDepth(RECIPE_LIMITS.extraDepth)
  extra?: Record<string, unknown>;
}
