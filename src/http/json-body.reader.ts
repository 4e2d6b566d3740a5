import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { jsonDepthExceeds } from './json-depth';

export interface JsonBodyOptions {
  limitBytes: number;
  maxDepth: number;
}

/** Whether the request carries a body at all (chunked, or a non-zero Content-Length). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
}

/**
 * The body parsed as JSON, or undefined when there is none. Checks everything it can before
 * reading a byte (media type, charset, encoding), then reads at most `limitBytes` (before and
 * after inflating), decodes strict UTF-8, parses and rejects bodies nested deeper than
 * `maxDepth` before anything walks them recursively.
 *
 * Requests may be gzip-compressed (`Content-Encoding: gzip`): bulk imports shrink about 8×, and
 * the limit applies to the inflated size, so a compression bomb stops at the limit.
 */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, options: JsonBodyOptions): Promise<unknown> {
  const bytes = await readJsonBodyBytes(req, res, options.limitBytes);
  return bytes === undefined ? undefined : parseJsonBytes(bytes, options.maxDepth);
}

/**
 * The body's bytes (inflated), or undefined when there is none, after the checks that need no
 * parsing: media type, charset, encoding and size. For routes that parse elsewhere.
 */
export async function readJsonBodyBytes(req: IncomingMessage, res: ServerResponse, limitBytes: number): Promise<Buffer | undefined> {
  if (!hasBody(req)) return undefined;
  checkMediaType(req.headers['content-type']);
  const gzip = contentEncoding(req.headers['content-encoding']) === 'gzip';
  return collect(req, res, gzip, limitBytes);
}

/** Strict UTF-8, then JSON, then the depth limit, each with its own error code. */
export function parseJsonBytes(bytes: Uint8Array, maxDepth: number): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError(ErrorCode.InvalidJson, 'Request body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.InvalidJson, 'Request body is not valid JSON');
  }
  if (jsonDepthExceeds(value, maxDepth)) {
    throw new AppError(ErrorCode.JsonTooDeep, `Request body nests objects and arrays more than ${maxDepth} levels deep`, {
      maxDepth,
    });
  }
  return value;
}

function checkMediaType(header: string | undefined): void {
  const [type, ...params] = (header ?? '').split(';').map((part) => part.trim());
  const mediaType = type.toLowerCase();
  if (mediaType !== 'application/json' && !/^application\/[\w.-]+\+json$/.test(mediaType)) {
    throw new AppError(
      ErrorCode.UnsupportedMediaType,
      header ? `Content-Type ${mediaType} is not supported; send application/json` : 'Send the body with Content-Type: application/json',
      { supported: ['application/json'] },
    );
  }
  for (const param of params) {
    const [name, value = ''] = param.split('=').map((part) => part.trim());
    if (name.toLowerCase() !== 'charset') continue;
    const charset = value.replace(/^"(.*)"$/, '$1').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') {
      throw new AppError(ErrorCode.UnsupportedMediaType, `Charset ${charset} is not supported; send UTF-8`, {
        supported: ['utf-8'],
      });
    }
  }
}

function contentEncoding(header: string | undefined): 'identity' | 'gzip' {
  const encoding = (header ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return 'identity';
  if (encoding === 'gzip' || encoding === 'x-gzip') return 'gzip';
  throw new AppError(ErrorCode.UnsupportedMediaType, `Content-Encoding ${encoding} is not supported; send identity or gzip`, {
    supported: ['identity', 'gzip'],
  });
}

function tooLarge(limitBytes: number): AppError {
  return new AppError(ErrorCode.PayloadTooLarge, `Request body exceeds the limit of ${limitBytes} bytes`, { limitBytes });
}

/** Reads the whole body into memory, never more than `limitBytes` of it. */
function collect(req: IncomingMessage, res: ServerResponse, gzip: boolean, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const inflate = gzip ? createGunzip() : null;
    const source: Readable = inflate ? req.pipe(inflate) : req;
    const chunks: Buffer[] = [];
    let rawBytes = 0;
    let bytes = 0;
    let settled = false;

    const finish = (error: AppError | null) => {
      if (settled) return;
      settled = true;
      req.off('data', countRaw);
      req.off('error', onAborted);
      req.off('close', onClose);
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onSourceError);
      if (error) {
        if (inflate) {
          req.unpipe(inflate);
          inflate.destroy();
        }
        // Whatever is left is not worth reading: answer, then close the connection.
        if (!res.headersSent) res.setHeader('connection', 'close');
        req.resume();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks, bytes));
      }
    };
    const countRaw = (chunk: Buffer) => {
      rawBytes += chunk.length;
      if (rawBytes > limitBytes) finish(tooLarge(limitBytes));
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limitBytes) return finish(tooLarge(limitBytes));
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onAborted = () => finish(new AppError(ErrorCode.InvalidJson, 'The request body ended before it was complete'));
    const onClose = () => {
      if (!req.complete) onAborted();
    };
    // With gzip the source is the inflater, whose only errors are bytes that are not gzip.
    const onSourceError = () =>
      inflate
        ? finish(new AppError(ErrorCode.InvalidBodyEncoding, 'Request body is not valid gzip, as its Content-Encoding says'))
        : onAborted();

    if (inflate) req.on('data', countRaw);
    req.on('error', onAborted);
    req.on('close', onClose);
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onSourceError);
  });
}
