import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserIdParams } from './dto/record-interaction.dto';
import { UserPreferencesDto, UserPreferencesResponseDto } from './dto/user-preferences.dto';
import { UserPreferencesService } from './user-preferences.service';

@ApiTags('users')
@Controller('users/:userId/preferences')
export class UserPreferencesController {
  constructor(private readonly preferences: UserPreferencesService) {}

  @Put()
  @ApiOperation({
    summary: 'Store what a user told us: diets, allergies, exclusions, liked and disliked cuisines and ingredients',
    description:
      'Replaces the stored preferences as a whole (a field left out is emptied). Words are in either language and ' +
      'resolved through the lexicon like the `diet` and `exclude` filters of every route; an unknown word is a 400 ' +
      'naming its field and nothing is stored. `diet`, `allergies` and `exclude` are hard filters on every list made ' +
      'for the user: their recommendations, and search, similar dishes and by-ingredients when the request names ' +
      'the user (`userId`). Liked and disliked cuisines and ingredients rank, and give a new user a first list.',
  })
  @ApiOkResponse({ type: UserPreferencesResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: bad user id, bad shape, or unknown words (details name the fields)' })
  put(@Param() params: UserIdParams, @Body() body: UserPreferencesDto) {
    return this.preferences.put(params.userId, body);
  }

  @Get()
  @ApiOperation({ summary: 'A user’s stored preferences (empty lists and updatedAt null when none were stored)' })
  @ApiOkResponse({ type: UserPreferencesResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: bad user id' })
  get(@Param() params: UserIdParams) {
    return this.preferences.get(params.userId);
  }
}
