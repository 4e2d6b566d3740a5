import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ByIngredientsService } from './by-ingredients.service';
import { ByIngredientsDto } from './dto/by-ingredients.dto';
import { ByIngredientsPageDto, SearchPageDto, SimilarPageDto } from './dto/search-page.dto';
import { SearchQuery } from './dto/search.query';
import { SimilarQuery } from './dto/similar.query';
import { SearchService } from './search.service';
import { SimilarDishesService } from './similar-dishes.service';
import { UserPreferencesService } from '../users/user-preferences.service';

const HIT = '`{ recipe: RecipeSummary, score, why: { matchedIngredients, matchedTerms, missingIngredients?, alsoIn? } }`';

@ApiTags('retrieval')
@Controller('search')
export class SearchController {
  constructor(
    private readonly searchService: SearchService,
    private readonly byIngredients: ByIngredientsService,
    private readonly users: UserPreferencesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Search recipes in free text (Chinese or English)',
    description:
      'Exclusions, allergens, diets and time limits (from the text or the parameters) are hard filters; cuisine and ' +
      'course words in the text rank rather than filter. An exact dish name ranks first. Hits that match nothing ' +
      `the query asked for are left out, so a nonsense query returns an empty list. Items are ${HIT}; ` +
      '`query` echoes the parsed query and the filters applied.',
  })
  @ApiOkResponse({ type: SearchPageDto })
  @ApiBadRequestResponse({ description: 'No q and no filter, unknown exclusion or diet words, bad paging' })
  @ApiServiceUnavailableResponse({ description: 'Vector store down or index still starting' })
  async search(@Query() query: SearchQuery) {
    return this.searchService.search({ ...query, userFilter: await userFilterOf(this.users, query.userId) });
  }

  @Post('by-ingredients')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Dishes from a list of ingredients',
    description:
      '`similar`: dishes most like one made of these ingredients. `pantry`: what can be cooked with them, fewest ' +
      'missing ingredients first (staples such as salt, oil and water never count), then most of them used, then ' +
      'similarity; `why.missingIngredients` lists what is still needed. Unknown words are echoed in ' +
      '`query.unrecognised`; when none is known the request is a 400.',
  })
  @ApiOkResponse({ type: ByIngredientsPageDto })
  @ApiBadRequestResponse({ description: 'No recognised ingredient, bad mode or filters' })
  async byIngredientsSearch(@Body() body: ByIngredientsDto) {
    return this.byIngredients.search({
      userFilter: await userFilterOf(this.users, body.userId),
      ingredients: body.ingredients,
      mode: body.mode,
      limit: body.limit,
      offset: body.offset,
      filters: body.filters,
    });
  }
}

@ApiTags('retrieval')
@Controller('recipes')
export class SimilarDishesController {
  constructor(
    private readonly similarDishes: SimilarDishesService,
    private readonly users: UserPreferencesService,
  ) {}

  @Get(':id/similar')
  @ApiOperation({
    summary: 'Dishes similar to a recipe',
    description:
      'Ingredients and dish properties both count; never the recipe itself. The same dish from another source is ' +
      'listed first with `sameDish: true`; other same-named recipes fold into one hit (`why.alsoIn`, at most 8). The list is ' +
      're-ranked by maximal marginal relevance (`diversity` 0–1); the response reports the intra-list diversity.',
  })
  @ApiOkResponse({ type: SimilarPageDto })
  @ApiNotFoundResponse({ description: 'RECIPE_NOT_FOUND' })
  async similar(@Param('id') id: string, @Query() query: SimilarQuery) {
    return this.similarDishes.similar(id, {
      limit: query.limit,
      diversity: query.diversity,
      userFilter: await userFilterOf(this.users, query.userId),
    });
  }
}

/** A request naming a user gets that user's stored hard filters; one without gets none. */
function userFilterOf(users: UserPreferencesService, userId: string | undefined) {
  return userId === undefined ? Promise.resolve(undefined) : users.filterFor(userId);
}
