import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminApiKeyGuard, AdminOnly } from '../common/admin-api-key.guard';
import { BulkInteractionsDto, BulkInteractionsResultDto } from './dto/bulk-interactions.dto';
import { RecordInteractionDto, UserIdParams } from './dto/record-interaction.dto';
import { UserInteractionDto } from './dto/user-interaction.dto';
import { UserInteractionsService } from './user-interactions.service';

@ApiTags('users')
@Controller()
@UseGuards(AdminApiKeyGuard)
export class UserInteractionsController {
  constructor(private readonly interactions: UserInteractionsService) {}

  @Post('users/:userId/interactions')
  @ApiOperation({
    summary: 'Record what a user did with a recipe',
    description:
      'Types: like, dislike, rating, view, cooked. A rating needs `value` from 1 to `scale` (5 by default, or 10); ' +
      'it is stored with its preference on [-1, 1] (lowest -1, middle 0, highest 1). Views are weak signals and ' +
      'do not hide a recipe from recommendations; likes, dislikes, ratings and cooked do.',
  })
  @ApiCreatedResponse({ type: UserInteractionDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: bad user id, type, value or scale' })
  @ApiNotFoundResponse({ description: 'RECIPE_NOT_FOUND' })
  record(@Param() params: UserIdParams, @Body() body: RecordInteractionDto) {
    return this.interactions.record(params.userId, body);
  }

  @Post('interactions/bulk')
  @AdminOnly()
  @HttpCode(200)
  @ApiSecurity('admin')
  @ApiOperation({
    summary: 'Import up to 1000 interactions of any users',
    description: 'Each record is validated on its own (including that its recipe exists): a bad record fails alone and the good ones land.',
  })
  @ApiOkResponse({ type: BulkInteractionsResultDto })
  @ApiUnauthorizedResponse()
  @ApiForbiddenResponse()
  bulk(@Body() body: BulkInteractionsDto) {
    return this.interactions.recordMany(body.interactions);
  }
}
