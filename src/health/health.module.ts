import { Module } from '@nestjs/common';
import { IndexingModule } from '../indexing/indexing.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [IndexingModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
