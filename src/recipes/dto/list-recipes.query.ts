import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryInt } from '../../common/validation-decorators';

export const MAX_PAGE_SIZE = 100;
export const MAX_OFFSET = 1_000_000;

export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', default: 10, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @QueryInt(1, MAX_PAGE_SIZE)
  limit: number = 10;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @QueryInt(0, MAX_OFFSET)
  offset: number = 0;
}

export class ListRecipesQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'howtocook' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  sourceId?: string;

  @ApiPropertyOptional({
    description: 'Part of the name; A–Z match either case, other letters as written (both databases compare so)',
    example: '鸡',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional({ example: 'dessert' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  category?: string;

  @ApiPropertyOptional({ example: 'indian' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cuisine?: string;
}
