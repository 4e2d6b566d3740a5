import { Module } from '@nestjs/common';
import { VectorStoreFactory } from './vector-store.factory';

@Module({
  providers: [VectorStoreFactory],
  exports: [VectorStoreFactory],
})
export class VectorStoreModule {}
