import { Module } from '@nestjs/common';
import { TextModule } from '../text/text.module';
import { UserInteractionsController } from './user-interactions.controller';
import { UserInteractionsRepository } from './user-interactions.repository';
import { UserInteractionsService } from './user-interactions.service';
import { UserPreferencesController } from './user-preferences.controller';
import { UserPreferencesRepository } from './user-preferences.repository';
import { UserPreferencesService } from './user-preferences.service';

@Module({
  imports: [TextModule],
  controllers: [UserInteractionsController, UserPreferencesController],
  providers: [UserInteractionsService, UserInteractionsRepository, UserPreferencesService, UserPreferencesRepository],
  exports: [UserInteractionsRepository, UserPreferencesService],
})
export class UsersModule {}
