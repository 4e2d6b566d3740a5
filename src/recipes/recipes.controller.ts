import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminApiKeyGuard, AdminOnly } from '../common/admin-api-key.guard';
import { JsonBodyBytes } from '../http/json-body-bytes';
import { BulkUpsertDto, BulkUpsertResultDto } from './dto/bulk-upsert.dto';
import { ListRecipesQuery } from './dto/list-recipes.query';
import { RecipeInputDto } from './dto/recipe-input.dto';
import { RecipePatchDto } from './dto/recipe-patch.dto';
import { RecipeDetailDto, RecipeDto, RecipePageDto } from './dto/recipe.dto';
import { RecipeAnnotations } from './recipe-annotations';
import { RecipesService } from './recipes.service';

/** What a write that adds recipes answers when they cannot be kept. */
const NO_ROOM_RESPONSE = {
  status: 507,
  description:
    'INSUFFICIENT_MEMORY: memory is past MEMORY_HIGH_WATER_PERCENT, no recipe is added (nothing was written); ' +
    'DATABASE_FULL: the disk is full, nothing of the request was kept',
};

@ApiTags('catalog')
@Controller('recipes')
@UseGuards(AdminApiKeyGuard)
export class RecipesController {
  constructor(
    private readonly recipes: RecipesService,
    private readonly annotations: RecipeAnnotations,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List recipes with filters and pagination' })
  @ApiOkResponse({ type: RecipePageDto })
  @ApiBadRequestResponse({ description: 'limit/offset out of range' })
  list(@Query() query: ListRecipesQuery) {
    return this.recipes.list(query);
  }

  @Post('bulk')
  @AdminOnly()
  @HttpCode(200)
  @ApiSecurity('admin')
  @ApiOperation({
    summary: 'Upsert up to 1000 recipes by (source, sourceId)',
    description: 'Each record is validated on its own: a bad record fails alone and the good ones land.',
  })
  @ApiBody({ type: BulkUpsertDto })
  @ApiOkResponse({ type: BulkUpsertResultDto })
  @ApiUnauthorizedResponse()
  @ApiForbiddenResponse()
  @ApiResponse(NO_ROOM_RESPONSE)
  // The bytes, parsed and checked off the event loop (see RecipesService.bulkUpsert).
  bulk(@JsonBodyBytes() body: Uint8Array | undefined) {
    return this.recipes.bulkUpsert(body);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Get one recipe',
    description:
      'Besides the stored fields: `family` ({ id, label: { zh, en } } or null), the dish family it belongs to (GET /api/families/{id}).',
  })
  @ApiOkResponse({ type: RecipeDetailDto })
  @ApiNotFoundResponse({ description: 'RECIPE_NOT_FOUND' })
  async get(@Param('id') id: string) {
    const recipe = await this.recipes.get(id);
    const extra = await this.annotations.for(id);
    // Added fields never replace a stored one.
    for (const key of Object.keys(extra)) if (key in recipe) delete extra[key];
    return { ...recipe, ...extra };
  }

  @Post()
  @AdminOnly()
  @ApiSecurity('admin')
  @ApiOperation({ summary: 'Create a recipe' })
  @ApiCreatedResponse({ type: RecipeDto, description: 'The stored recipe' })
  @ApiConflictResponse({ description: 'RECIPE_CONFLICT: another recipe has this source and sourceId (`details.id` names it)' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED with field details' })
  @ApiResponse(NO_ROOM_RESPONSE)
  create(@Body() body: RecipeInputDto) {
    return this.recipes.create(body);
  }

  @Put(':id')
  @AdminOnly()
  @ApiSecurity('admin')
  @ApiOperation({ summary: 'Replace a recipe' })
  @ApiOkResponse({ type: RecipeDto, description: 'The stored recipe' })
  @ApiConflictResponse({ description: 'RECIPE_CONFLICT: another recipe has this source and sourceId (`details.id` names it)' })
  @ApiNotFoundResponse()
  replace(@Param('id') id: string, @Body() body: RecipeInputDto) {
    return this.recipes.replace(id, body);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiSecurity('admin')
  @ApiOperation({ summary: 'Change some fields of a recipe' })
  @ApiOkResponse({ type: RecipeDto, description: 'The stored recipe' })
  @ApiConflictResponse({ description: 'RECIPE_CONFLICT: another recipe has this source and sourceId (`details.id` names it)' })
  @ApiNotFoundResponse()
  patch(@Param('id') id: string, @Body() body: RecipePatchDto) {
    return this.recipes.patch(id, body);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiSecurity('admin')
  @ApiOperation({ summary: 'Delete a recipe' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async delete(@Param('id') id: string): Promise<void> {
    await this.recipes.delete(id);
  }
}
