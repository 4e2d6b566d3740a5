import { Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminApiKeyGuard, AdminOnly } from '../common/admin-api-key.guard';
import { IndexingService, VerifyReport } from './indexing.service';

const SAMPLE = 20;

@ApiTags('operations')
@ApiSecurity('admin')
@ApiUnauthorizedResponse()
@ApiForbiddenResponse()
@Controller('admin/index')
@UseGuards(AdminApiKeyGuard)
@AdminOnly()
export class IndexAdminController {
  constructor(private readonly indexing: IndexingService) {}

  @Get()
  @ApiOperation({ summary: 'Catalog vs index: counts and up to 20 missing / stale / orphan ids each' })
  @ApiQuery({ name: 'repair', required: false, type: Boolean })
  async verify(@Query('repair') repair?: string) {
    return sampled(await this.indexing.verify({ repair: repair === 'true' }));
  }

  @Post('retrain')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retrain the food-concept model on the current catalog and swap it in with a freshly built index',
    description: 'Queries keep being answered from the previous model and index until the swap.',
  })
  @ApiOkResponse({ description: '{ previous, current } model ids' })
  retrain() {
    return this.indexing.retrainAndSwap();
  }
}

function sampled(report: VerifyReport) {
  return {
    ...report,
    missing: report.missing.slice(0, SAMPLE),
    stale: report.stale.slice(0, SAMPLE),
    orphans: report.orphans.slice(0, SAMPLE),
    counts: { missing: report.missing.length, stale: report.stale.length, orphans: report.orphans.length },
  };
}
