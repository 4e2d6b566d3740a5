import { Module } from '@nestjs/common';
import { TextModule } from '../text/text.module';
import { EmbeddingModelService } from './embedding-model.service';

@Module({
  imports: [TextModule],
  providers: [EmbeddingModelService],
  exports: [EmbeddingModelService],
})
export class EmbeddingModule {}
