import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../recipes/dto/list-recipes.query';
import { ANOMALY_CODES, AnomalyCode } from '../anomalies';

export class BilingualLabelDto {
  @ApiProperty({ example: '猪肉·红烧' })
  zh: string;

  @ApiProperty({ example: 'pork · red-braise' })
  en: string;
}

export class DefiningConceptDto {
  @ApiProperty({ example: 'pork' })
  id: string;

  @ApiProperty({ example: '猪肉' })
  zh: string;

  @ApiProperty({ example: 'pork' })
  en: string;

  @ApiProperty({ description: 'Share of the family’s dishes with the concept', example: 0.82 })
  familyShare: number;

  @ApiProperty({ description: 'Share of the whole catalog’s dishes with it', example: 0.12 })
  catalogShare: number;
}

export class DishRefDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  source: string;

  @ApiProperty({ description: 'Cosine similarity to the family centroid', example: 0.91 })
  similarity: number;
}

export class FamilySummaryDto {
  @ApiProperty({ example: 3 })
  id: number;

  @ApiProperty({ type: BilingualLabelDto })
  label: BilingualLabelDto;

  @ApiProperty({ example: 57 })
  size: number;

  @ApiProperty({ description: 'Mean cosine distance of the members to the centroid (0 = all alike)', example: 0.21 })
  spread: number;

  @ApiProperty({ type: [DefiningConceptDto], description: 'Concepts most over-represented in the family against the catalog' })
  defining: DefiningConceptDto[];

  @ApiProperty({ type: [DishRefDto], description: 'The most representative dishes (closest to the centroid)' })
  representatives: DishRefDto[];
}

export class FamiliesResponseDto {
  @ApiProperty({ description: 'The concept model the families were computed with' })
  modelId: string;

  @ApiProperty({ description: 'When the families were last clustered (ISO time)' })
  computedAt: string;

  @ApiProperty({ description: 'Recipes placed in a family' })
  recipes: number;

  @ApiProperty({ type: [FamilySummaryDto] })
  families: FamilySummaryDto[];
}

export class FamilyMembersPageDto {
  @ApiProperty({ type: [DishRefDto] })
  items: DishRefDto[];

  @ApiProperty()
  total: number;

  @ApiProperty()
  limit: number;

  @ApiProperty()
  offset: number;
}

export class FamilyResponseDto extends FamilySummaryDto {
  @ApiProperty({ type: FamilyMembersPageDto, description: 'Members, most representative first' })
  members: FamilyMembersPageDto;
}

export class DuplicateRecipeDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  source: string;
}

export class DuplicateEvidenceDto {
  @ApiProperty({ description: 'Cosine of the dish vectors (ingredients and properties)' })
  vector: number;

  @ApiProperty({ description: 'Share of the shorter main-ingredient list the other recipe has (containment)' })
  ingredients: number;

  @ApiProperty({ description: 'Character-bigram overlap of the names (1 for the same normalised name)' })
  name: number;
}

export class DuplicatePairDto {
  @ApiProperty({ example: 0.93 })
  score: number;

  @ApiProperty({ type: DuplicateEvidenceDto })
  evidence: DuplicateEvidenceDto;

  @ApiProperty({ description: 'The two come from different sources' })
  crossSource: boolean;

  @ApiProperty({ type: [DuplicateRecipeDto], description: 'The two records of the pair, by id' })
  records: DuplicateRecipeDto[];

  @ApiProperty({
    type: DuplicateRecipeDto,
    description:
      'The record a merge of the pair’s group keeps: its most complete record, the same in every pair of the group ' +
      '(neither of `records` when the pair joins two records that both fold into it)',
  })
  keep: DuplicateRecipeDto;

  @ApiProperty({
    type: DuplicateRecipeDto,
    description: 'The record of the pair a merge folds into `keep` (the less complete one when neither is `keep`)',
  })
  drop: DuplicateRecipeDto;

  @ApiProperty({ description: 'Why `keep` is kept over `drop`', example: 'more steps (9 vs 4); has a cooking time' })
  reason: string;
}

export class DuplicatesResponseDto {
  @ApiProperty({ description: 'Score from which a pair is proposed' })
  threshold: number;

  @ApiProperty()
  total: number;

  @ApiProperty({ description: 'Pairs joined into groups of one dish' })
  groups: number;

  @ApiProperty()
  limit: number;

  @ApiProperty()
  offset: number;

  @ApiProperty({ type: [DuplicatePairDto], description: 'Best score first' })
  items: DuplicatePairDto[];
}

export class DuplicatesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only pairs from two different sources (true) or from one source (false)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  crossSource?: 'true' | 'false';
}

export class AnomalyDto {
  @ApiProperty({ enum: ANOMALY_CODES })
  code: AnomalyCode;

  @ApiProperty({ description: '0–1: how sure or how extreme' })
  score: number;

  @ApiProperty({ example: 'Says vegetarian but lists pork' })
  message: string;
}

export class AnomalousRecipeDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  source: string;

  @ApiProperty({ type: [AnomalyDto], description: 'Most serious first' })
  anomalies: AnomalyDto[];
}

export class AnomaliesResponseDto {
  @ApiProperty({ description: 'Flagged recipes (matching `code` when given)' })
  total: number;

  @ApiProperty({ description: 'Findings per reason code over the whole catalog', example: { DIET_CONTRADICTION: 2 } })
  counts: Record<string, number>;

  @ApiProperty()
  limit: number;

  @ApiProperty()
  offset: number;

  @ApiProperty({ type: [AnomalousRecipeDto], description: 'Highest score first' })
  items: AnomalousRecipeDto[];
}

export class AnomaliesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ANOMALY_CODES, description: 'Only recipes with a finding of this code' })
  @IsOptional()
  @IsIn(ANOMALY_CODES)
  code?: AnomalyCode;
}

export class FamilyStatsDto {
  @ApiProperty()
  id: number;

  @ApiProperty({ type: BilingualLabelDto })
  label: BilingualLabelDto;

  @ApiProperty()
  size: number;

  @ApiProperty({ description: 'Share of the clustered catalog' })
  share: number;

  @ApiProperty({ description: 'Mean cosine distance to the centroid' })
  spread: number;

  @ApiProperty({ description: 'Recipes per source', example: { howtocook: 30, 'yunyoujun-cook': 12 } })
  sources: Record<string, number>;
}

export class CatalogStatsDto {
  @ApiProperty()
  recipes: number;

  @ApiProperty({ description: 'Recipes per source' })
  sources: Record<string, number>;

  @ApiProperty({ description: 'Mean cosine distance of every dish to the catalog’s mean direction: how varied the catalog is' })
  catalogSpread: number;

  @ApiProperty({ description: 'Size-weighted mean of the families’ spreads: how varied dishes are within a family' })
  withinFamilySpread: number;

  @ApiProperty({ description: '1 − withinFamilySpread / catalogSpread: how much of the variety the families explain' })
  familySeparation: number;

  @ApiProperty({ description: 'Entropy of the family sizes over its maximum (1 = families of equal size)' })
  familyEvenness: number;

  @ApiProperty()
  duplicatePairs: number;

  @ApiProperty({ description: 'Findings per reason code' })
  anomalies: Record<string, number>;

  @ApiProperty({ type: [FamilyStatsDto] })
  families: FamilyStatsDto[];
}
