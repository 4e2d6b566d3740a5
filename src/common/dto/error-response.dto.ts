import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { FieldProblemDto } from './field-problem.dto';
import { ErrorCode } from '../error-codes';

/** The body of every error response (AllExceptionsFilter): documented once, on every 4xx and 5xx. */
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 400, description: 'The HTTP status again' })
  statusCode: number;

  @ApiProperty({
    enum: Object.values(ErrorCode),
    enumName: 'ErrorCode',
    description: 'What went wrong, for programs: one code, one status',
  })
  code: ErrorCode;

  @ApiProperty({ example: 'Validation failed', description: 'What went wrong, for people' })
  message: string;

  @ApiPropertyOptional({
    description:
      'More for some codes: VALIDATION_FAILED lists `[{ field, problems }]`; INDEX_JOB_RUNNING gives `{ job }`; ' +
      'RATE_LIMITED `{ limitPerMinute, retryAfterSeconds }`; not-found codes `{ id }`',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldProblemDto) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: unknown;

  @ApiPropertyOptional({ description: 'The request id (also the x-request-id response header); quote it when reporting a problem' })
  requestId?: string;
}
