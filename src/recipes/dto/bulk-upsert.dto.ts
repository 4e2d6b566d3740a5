import { FieldProblemDto } from '../../common/dto/field-problem.dto';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { RecipeInputDto } from './recipe-input.dto';

export const MAX_BULK_RECIPES = 1000;

/** Records are validated one by one in the service, so one bad record fails alone. */
export class BulkUpsertDto {
  @ApiProperty({ type: [RecipeInputDto], maxItems: MAX_BULK_RECIPES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_RECIPES)
  recipes: unknown[];
}

export class BulkFailureDto {
  @ApiProperty() index: number;
  @ApiProperty({ type: [FieldProblemDto] }) errors: FieldProblemDto[];
}

export class BulkUpsertResultDto {
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty({ description: 'Records identical to what the catalog already holds' }) unchanged: number;
  @ApiProperty({ type: [BulkFailureDto] }) failed: BulkFailureDto[];
}
