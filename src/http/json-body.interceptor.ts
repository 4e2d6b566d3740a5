import { CallHandler, ExecutionContext, INestApplication, Injectable, NestInterceptor, Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, mergeMap, Observable } from 'rxjs';
import { keepBodyBytes, takesBodyBytes } from './json-body-bytes';
import { JsonBodyOptions, readJsonBody, readJsonBodyBytes } from './json-body.reader';

/**
 * Reads and parses the JSON body of a route that takes one (a `@Body()` parameter), or reads
 * the checked bytes for one that parses its own (`@JsonBodyBytes()`).
 *
 * It is an interceptor rather than express middleware on purpose: interceptors run after every
 * guard, so a request without a valid admin key, or over its rate limit, is answered before a
 * byte of its body is read (Node discards what is left). Pipes run after interceptors, so
 * validation still sees the parsed body.
 *
 * It is attached to those routes only (see {@link readJsonBodies}), not registered globally: a
 * route with any interceptor pays for Nest's interceptor chain (two AsyncResource binds and a
 * few observables a request) even when the interceptor passes the request straight on. On the
 * 100,000-recipe catalog, two services side by side, alternating loads: the liveness route at
 * 32 clients 0.93 → 0.62 ms of CPU a request, search at one client 4.83 → 4.51 ms.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  constructor(private readonly options: JsonBodyOptions) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
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
    return from(readJsonBody(req, http.getResponse<Response>(), this.options)).pipe(
      mergeMap((body) => {
        req.body = body;
        return next.handle();
      }),
    );
  }
}

/**
 * Attaches one JsonBodyInterceptor to every route handler that takes a body, before the routes
 * are registered (call it before `app.init()`); routes without a body never read one. Returns
 * how many handlers read bodies.
 */
export function readJsonBodies(app: INestApplication, options: JsonBodyOptions): number {
  const interceptor = new JsonBodyInterceptor(options);
  let routes = 0;
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value as object | undefined;
        if (name === 'constructor' || typeof handler !== 'function' || !takesBody(controller, name, handler)) continue;
        // Handlers are shared by every app of the process (tests boot several): replace the one a
        // previous app attached. Nest copies a route's interceptors when it registers the route.
        const own: unknown[] = Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? [];
        const others = own.filter((attached) => !(attached instanceof JsonBodyInterceptor));
        Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...others], handler);
        routes++;
      }
    }
  }
  return routes;
}

function takesBody(controller: Type<unknown>, name: string, handler: object): boolean {
  if (takesBodyBytes(handler)) return true;
  const args: Record<string, unknown> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {};
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
}
