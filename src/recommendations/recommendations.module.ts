import { Module } from '@nestjs/common';
import { IndexingModule } from '../indexing/indexing.module';
import { RecipesModule } from '../recipes/recipes.module';
import { SearchModule } from '../search/search.module';
import { TextModule } from '../text/text.module';
import { UsersModule } from '../users/users.module';
import { RecommendationsController } from './recommendations.controller';
import { CommunityTables } from './community-tables.service';
import { ColdStartRecommendations } from './cold-start-recommendations';
import { RecommendationLists } from './recommendation-lists';
import { RecommendationsService } from './recommendations.service';
import { SessionRecommendations } from './session-recommendations';
import { UserRecommendations } from './user-recommendations';

@Module({
  imports: [UsersModule, IndexingModule, RecipesModule, SearchModule, TextModule],
  controllers: [RecommendationsController],
  providers: [
    RecommendationsService,
    SessionRecommendations,
    UserRecommendations,
    ColdStartRecommendations,
    RecommendationLists,
    CommunityTables,
  ],
})
export class RecommendationsModule {}
