import { FieldProblemDto } from '../../common/dto/field-problem.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString } from 'class-validator';
import { IsRealDateTime } from '../../common/validation-decorators';
import { RecordInteractionDto } from './record-interaction.dto';

export const MAX_BULK_INTERACTIONS = 1000;

export class BulkInteractionRecordDto extends RecordInteractionDto {
  @ApiProperty({ example: 'user-42' })
  @IsString()
  userId: string;

  @ApiPropertyOptional({
    example: '2025-11-20T18:30:00Z',
    description: 'When it happened: an ISO 8601 calendar date or date-time (2025-11-20, 2025-11-20T18:30:00+08:00); default now',
  })
  @IsOptional()
  @IsRealDateTime()
  at?: string;
}

/** Records are validated one by one in the service, so one bad record fails alone. */
export class BulkInteractionsDto {
  @ApiProperty({ type: [BulkInteractionRecordDto], maxItems: MAX_BULK_INTERACTIONS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_INTERACTIONS)
  interactions: unknown[];
}

export class BulkInteractionFailureDto {
  @ApiProperty() index: number;
  @ApiProperty({ type: [FieldProblemDto] }) errors: FieldProblemDto[];
}

export class BulkInteractionsResultDto {
  @ApiProperty() created: number;
  @ApiProperty({ type: [BulkInteractionFailureDto] }) failed: BulkInteractionFailureDto[];
}
