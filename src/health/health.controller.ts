import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthService } from './health.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness for orchestrators: answers without touching any dependency. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers HTTP (checks no dependency)' })
  @ApiOkResponse({ description: '{ status: "ok" }' })
  live() {
    return { status: 'ok' };
  }

  @Get()
  @ApiOperation({ summary: "Each dependency's state and the search index's lag behind the catalog" })
  @ApiOkResponse({ description: 'The service can answer reads (it may be degraded: see each dependency)' })
  @ApiServiceUnavailableResponse({ description: 'The database is down' })
  async check(@Res({ passthrough: true }) res: Response) {
    const report = await this.health.report();
    if (report.database.state !== 'up') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
