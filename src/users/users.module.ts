import { Module } from '@nestjs/common';
import { UserInteractionsController } from './user-interactions.controller';
import { UserInteractionsRepository } from './user-interactions.repository';
import { UserInteractionsService } from './user-interactions.service';

@Module({
  controllers: [UserInteractionsController],
  providers: [UserInteractionsService, UserInteractionsRepository],
  exports: [UserInteractionsRepository],
})
export class UsersModule {}
