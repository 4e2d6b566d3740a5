import { Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminApiKeyGuard, AdminOnly } from '../common/admin-api-key.guard';
import { NoQuery } from '../common/dto/no-query.dto';
import { IndexJobStatusDto, RetrainResultDto, VerifyIndexQuery, VerifyReportDto } from './dto/index-admin.dto';
import { IndexRetrainer } from './index-retrainer.service';
import { IndexSynchroniser, VerifyReport } from './index-synchroniser.service';

const SAMPLE = 20;

@ApiTags('operations')
@ApiSecurity('admin')
@ApiUnauthorizedResponse()
@ApiForbiddenResponse()
@Controller('admin/index')
@UseGuards(AdminApiKeyGuard)
@AdminOnly()
export class IndexAdminController {
  constructor(
    private readonly synchroniser: IndexSynchroniser,
    private readonly retrainer: IndexRetrainer,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Catalog vs index: counts, up to 20 missing / stale / orphan ids each, pending outbox work, collections',
    description:
      'Read only. Recipes with outbox work pending are not drift. `drift` counts missing, stale and orphan ids and ' +
      'orphaned collections (left by a failed or crashed build). Fix drift with POST /api/admin/index/repair.',
  })
  @ApiOkResponse({ type: VerifyReportDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: `repair` given (repair is POST /api/admin/index/repair), or another query parameter',
  })
  async verify(@Query() _query: VerifyIndexQuery) {
    return sampled(await this.synchroniser.verify());
  }

  @Post('repair')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Fix drift: index missing and stale recipes, delete orphan points, drop orphaned collections',
    description: 'Returns the report as found before the repair, with `repaired: true` when there was something to fix.',
  })
  @ApiOkResponse({ type: VerifyReportDto })
  async repair() {
    return sampled(await this.synchroniser.verify({ repair: true }));
  }

  @Post('retrain')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retrain the food-concept model on the current catalog and swap it in with a freshly built index',
    description:
      'Queries keep being answered from the previous model and index until the serving alias switches to the new ' +
      'collection. One retrain or rebuild runs at a time across the service and the admin commands.',
  })
  @ApiOkResponse({ type: RetrainResultDto })
  @ApiServiceUnavailableResponse({
    description: 'The service is shutting down (a retrain still running then is stopped, its collection dropped)',
  })
  @ApiConflictResponse({ description: 'INDEX_JOB_RUNNING: a retrain or rebuild is already running; `details.job` is its state' })
  @ApiResponse({
    status: 507,
    description: 'INSUFFICIENT_MEMORY: memory is past MEMORY_HIGH_WATER_PERCENT, and the retrain would hold a second index until its swap',
  })
  retrain() {
    return this.retrainer.retrainAndSwap();
  }

  @Get('job')
  @ApiOperation({
    summary: 'The running retrain or rebuild and its progress',
    description: 'Cheap to poll (one row): phase, recipes indexed so far and in all. `job` is null when none runs.',
  })
  @ApiOkResponse({ type: IndexJobStatusDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: the route takes no query parameters' })
  async job(@Query() _query: NoQuery): Promise<IndexJobStatusDto> {
    return { job: await this.retrainer.runningJob() };
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
