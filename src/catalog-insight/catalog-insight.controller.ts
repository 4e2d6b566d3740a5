import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminApiKeyGuard, AdminOnly } from '../common/admin-api-key.guard';
import { AppError } from '../common/app-error';
import { NoQuery } from '../common/dto/no-query.dto';
import { ErrorCode } from '../common/error-codes';
import { PageQuery } from '../recipes/dto/list-recipes.query';
import { CatalogInsightService } from './catalog-insight.service';
import {
  AnomaliesQuery,
  AnomaliesResponseDto,
  CatalogStatsDto,
  DuplicatesQuery,
  DuplicatesResponseDto,
  FamiliesResponseDto,
  FamilyResponseDto,
} from './dto/catalog-insight.dto';

/** How many representative dishes a family lists in the overview. */
const REPRESENTATIVES = 5;

@ApiTags('families')
@Controller('families')
export class FamiliesController {
  constructor(private readonly insight: CatalogInsightService) {}

  @Get()
  @ApiOperation({
    summary: 'Dish families: groups of similar dishes, labelled in Chinese and English by their defining concepts',
    description:
      'Computed in the background when the concept model is retrained or the catalog has changed enough, never per ' +
      'request; dishes added since belong to their nearest family.',
  })
  @ApiOkResponse({ type: FamiliesResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: the route takes no query parameters' })
  async list(@Query() _query: NoQuery): Promise<FamiliesResponseDto> {
    return this.insight.views(await this.insight.current()).families(REPRESENTATIVES);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dish family with its members, most representative first' })
  @ApiOkResponse({ type: FamilyResponseDto })
  @ApiNotFoundResponse({ description: 'FAMILY_NOT_FOUND' })
  @ApiBadRequestResponse({ description: 'limit/offset out of range' })
  async get(@Param('id') id: string, @Query() page: PageQuery): Promise<FamilyResponseDto> {
    const family = /^\d{1,6}$/.test(id) ? this.insight.views(await this.insight.current()).family(Number(id), REPRESENTATIVES, page) : null;
    if (!family) throw new AppError(ErrorCode.FamilyNotFound, `Family "${id}" does not exist`, { id });
    return family;
  }
}

@ApiTags('operations')
@ApiSecurity('admin')
@ApiUnauthorizedResponse()
@ApiForbiddenResponse()
@Controller('admin')
@UseGuards(AdminApiKeyGuard)
@AdminOnly()
export class CatalogInsightAdminController {
  constructor(private readonly insight: CatalogInsightService) {}

  @Get('duplicates')
  @ApiOperation({
    summary: 'Probable duplicates within and across sources, best score first, each with a merge suggestion',
    description: 'A pair is proposed when its score reaches `threshold`; names may differ (the same dish in two languages).',
  })
  @ApiOkResponse({ type: DuplicatesResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  async duplicates(@Query() query: DuplicatesQuery): Promise<DuplicatesResponseDto> {
    const crossSource = query.crossSource === undefined ? undefined : query.crossSource === 'true';
    return this.insight.views(await this.insight.current()).duplicates(query, crossSource);
  }

  @Get('anomalies')
  @ApiOperation({
    summary: 'Recipes that look wrong, each finding with a reason code and a score',
    description:
      'Codes: DIET_CONTRADICTION (a vegetarian/vegan claim in the name, tags or category against a listed ingredient), ' +
      'ALLERGEN_CONTRADICTION (a "-free" claim against an ingredient), IMPLAUSIBLE_TIME, IMPLAUSIBLE_INGREDIENT_COUNT, ' +
      'FAR_FROM_FAMILIES (less similar to every family than the catalog’s outlier fence), UNRESOLVED_INGREDIENTS, ' +
      'LANGUAGE_MISMATCH, DUPLICATE (the record a merge would drop).',
  })
  @ApiOkResponse({ type: AnomaliesResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  async anomalies(@Query() query: AnomaliesQuery): Promise<AnomaliesResponseDto> {
    return this.insight.views(await this.insight.current()).anomalies(query, query.code);
  }

  @Get('catalog/stats')
  @ApiOperation({ summary: 'Catalog diversity: spread of the catalog and of each family, family sizes, duplicates and anomalies' })
  @ApiOkResponse({ type: CatalogStatsDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: the route takes no query parameters' })
  async stats(@Query() _query: NoQuery): Promise<CatalogStatsDto> {
    return this.insight.views(await this.insight.current()).stats();
  }
}
