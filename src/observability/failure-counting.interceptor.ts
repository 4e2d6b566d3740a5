import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { MetricsService } from './metrics.service';

/** Counts vector-store, database and embedder failures that reach a request's handler. */
@Injectable()
export class FailureCountingInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        this.metrics.recordFailure(error, 'request');
        return throwError(() => error);
      }),
    );
  }
}
