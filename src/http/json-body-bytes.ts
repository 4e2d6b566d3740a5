import { createParamDecorator, ExecutionContext } from '@nestjs/common';

const BYTES_ROUTE = Symbol('json-body-bytes');
const bodyBytes = new WeakMap<object, Buffer>();

/**
 * A route parameter receiving the JSON body's bytes, checked for media type, encoding and size
 * but not parsed: for routes that parse large bodies off the event loop. Marks the route, so
 * the JSON-body interceptor (readJsonBodies) reads the bytes for it, after the guards, instead of parsing them.
 */
export function JsonBodyBytes(): ParameterDecorator {
  const inject = createParamDecorator((_: unknown, context: ExecutionContext) =>
    bodyBytes.get(context.switchToHttp().getRequest<object>()),
  );
  return (target, key, index) => {
    if (key !== undefined) Reflect.defineMetadata(BYTES_ROUTE, true, (target as Record<string | symbol, object>)[key]);
    inject()(target, key, index);
  };
}

export function takesBodyBytes(handler: object): boolean {
  return Reflect.getMetadata(BYTES_ROUTE, handler) === true;
}

export function keepBodyBytes(req: object, bytes: Buffer | undefined): void {
  if (bytes) bodyBytes.set(req, bytes);
}
