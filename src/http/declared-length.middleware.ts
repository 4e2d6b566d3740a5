import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';

/**
 * Answers 413 at once when a request announces a body over the limit, before anything reads it
 * (the body reader would otherwise consume it to the limit first, and a 20 MB upload took
 * seconds). Up to twice the limit, Node then discards the rest so an ordinary client reads the
 * answer on a healthy keep-alive connection; beyond that the connection is closed after the
 * answer rather than sinking the upload.
 */
export function rejectDeclaredOversize(limitBytes: number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers['content-length'];
    if (header === undefined) return next();
    const declared = Number(header);
    if (!Number.isFinite(declared) || declared <= limitBytes) return next();
    if (declared > 2 * limitBytes) res.setHeader('connection', 'close');
    next(
      new AppError(ErrorCode.PayloadTooLarge, `Request body exceeds the limit of ${limitBytes} bytes`, {
        limitBytes,
        declaredBytes: declared,
      }),
    );
  };
}
