import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Helmet's headers on every response, with two content security policies: the API answers JSON
 * that no browser should ever render or frame, so it allows nothing at all; the OpenAPI page
 * (`docsPath`) is swagger-ui, which loads its scripts, styles and favicons from the same origin,
 * uses inline <style> blocks and style attributes, and data: images in its CSS.
 * `upgrade-insecure-requests` is left out: the service is commonly reached over plain HTTP on a
 * LAN address, where it would send the page's own scripts to an https:// URL that nothing serves.
 */
export function securityHeaders(docsPath: string): RequestHandler {
  const common = helmet({ contentSecurityPolicy: false });
  const apiPolicy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  });
  const docsPolicy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
    },
  });
  const docsPrefix = `/${docsPath}`;
  return (req: Request, res: Response, next: NextFunction) => {
    common(req, res, (error?: unknown) => {
      if (error) return next(error);
      const isDocs = req.path === docsPrefix || req.path.startsWith(`${docsPrefix}/`);
      (isDocs ? docsPolicy : apiPolicy)(req, res, next);
    });
  };
}
