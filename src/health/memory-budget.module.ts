import { Global, Module } from '@nestjs/common';
import { MemoryBudget } from './memory-budget';

/** Global: the catalog's writes ask it for room, and the health report shows it. */
@Global()
@Module({
  providers: [MemoryBudget],
  exports: [MemoryBudget],
})
export class MemoryBudgetModule {}
