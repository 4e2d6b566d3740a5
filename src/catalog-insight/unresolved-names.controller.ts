import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminApiKeyGuard, AdminOnly } from '../common/admin-api-key.guard';
import { EmbeddingModelService } from '../embedding/embedding-model.service';
import { DEFAULT_LEARNED_CONCEPT_OPTIONS } from '../embedding/learned-concepts/learned-concepts';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { FoodLexicon } from '../text/food-lexicon';
import { UnresolvedNamesQuery, UnresolvedNamesResponseDto } from './dto/unresolved-names.dto';
import { unresolvedNames } from './unresolved-names';

@ApiTags('operations')
@ApiSecurity('admin')
@ApiUnauthorizedResponse()
@ApiForbiddenResponse()
@Controller('admin/lexicon')
@UseGuards(AdminApiKeyGuard)
@AdminOnly()
export class UnresolvedNamesController {
  constructor(
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly models: EmbeddingModelService,
    private readonly lexicon: FoodLexicon,
  ) {}

  @Get('unresolved')
  @ApiOperation({
    summary: 'The commonest ingredient names the lexicon does not resolve, with the concepts learned from them',
    description:
      'Names are normalised (amounts, units, notes, preparation and grade words removed, singular) and counted per recipe ' +
      'when the concept model is trained; a name in at least `minRecipes` recipes is a learned concept with a co-occurrence ' +
      'vector, used in dish and query vectors, and is listed with the lexicon concepts nearest to it. Counts are those of ' +
      'the serving model’s training catalog (or its sample, on a catalog larger than TRAINING_SAMPLE_MAX): recipes ' +
      'imported since count after the next retrain.',
  })
  @ApiOkResponse({ type: UnresolvedNamesResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiServiceUnavailableResponse({ description: 'VECTOR_STORE_UNAVAILABLE while the index is starting' })
  unresolved(@Query() query: UnresolvedNamesQuery): UnresolvedNamesResponseDto {
    const model = this.models.conceptModelOf(this.activeIndex.active().provider);
    return {
      modelId: model.modelId,
      trainedOnRecipes: model.recipeCount,
      sampleRate: model.sample.rate,
      catalogRecipes: model.sample.catalogSize,
      minRecipes: DEFAULT_LEARNED_CONCEPT_OPTIONS.minRecipes,
      learnedConcepts: model.learnedConcepts.length,
      items: unresolvedNames(model, this.lexicon, query.limit),
    };
  }
}
