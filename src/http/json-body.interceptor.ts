import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request, Response } from 'express';
import { from, mergeMap, Observable } from 'rxjs';
import { keepBodyBytes, takesBodyBytes } from './json-body-bytes';
import { JsonBodyOptions, readJsonBody, readJsonBodyBytes } from './json-body.reader';

/**
 * Reads and parses the JSON body of routes that take one (a `@Body()` parameter).
 *
 * It is an interceptor rather than express middleware on purpose: interceptors run after every
 * guard, so a request without a valid admin key, or over its rate limit, is answered before a
 * byte of its body is read (Node discards what is left). Pipes run after interceptors, so
 * validation still sees the parsed body. Routes without a body never read one; routes that
 * parse their own (`@JsonBodyBytes()`) get the checked bytes.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly takesBody = new WeakMap<object, boolean>();

  constructor(private readonly options: JsonBodyOptions) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (takesBodyBytes(context.getHandler())) {
      return from(readJsonBodyBytes(req, http.getResponse<Response>(), this.options.limitBytes)).pipe(
        mergeMap((bytes) => {
          keepBodyBytes(req, bytes);
          return next.handle();
        }),
      );
    }
    if (!this.routeTakesBody(context)) return next.handle();
    return from(readJsonBody(req, http.getResponse<Response>(), this.options)).pipe(
      mergeMap((body) => {
        req.body = body;
        return next.handle();
      }),
    );
  }

  private routeTakesBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let takes = this.takesBody.get(handler);
    if (takes === undefined) {
      const args: Record<string, unknown> = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {};
      takes = Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
      this.takesBody.set(handler, takes);
    }
    return takes;
  }
}
