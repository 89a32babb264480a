import { InvalidInputError } from '@lift/kit';
import { memoryErrorCodes } from './errors.js';
import type { ListPosition } from './store/index.js';

/** An opaque cursor: the last item's (createdAt, id), base64url JSON. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) return { createdAt, id };
  } catch {
    // Falls through to the same answer as a well-formed but wrong cursor.
  }
  throw new InvalidInputError(memoryErrorCodes.badCursor, 'The cursor is not one this list gave out; pass nextCursor from the previous page unchanged.', { field: 'querystring.cursor' });
}
