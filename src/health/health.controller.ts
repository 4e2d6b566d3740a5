import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthReportDto, LivenessDto } from './dto/health.dto';
import { HealthService } from './health.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness for orchestrators: answers without touching any dependency. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers HTTP (checks no dependency)' })
  @ApiOkResponse({ type: LivenessDto })
  live() {
    return { status: 'ok' };
  }

  @Get()
  @ApiOperation({ summary: "Each dependency's state and the search index's lag behind the catalog" })
  @ApiOkResponse({
    type: HealthReportDto,
    description:
      'The service answers: status "up", or "degraded" with the dependencies not up named in `failing` ' +
      '(a database that reads but takes no writes is `database.state: "degraded", writable: false`)',
  })
  @ApiServiceUnavailableResponse({
    type: HealthReportDto,
    description: 'The database or the vector store is down (same body; `failing` names them)',
  })
  async check(@Res({ passthrough: true }) res: Response) {
    const report = await this.health.report();
    // A database that reads but cannot write stays 200: every instance shares it, so taking
    // this one out of rotation would only stop the reads that still work.
    if (report.database.state === 'down' || report.vectorStore.state === 'down') {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
    return report;
  }
}
