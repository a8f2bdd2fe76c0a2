/**
 * An API answer already serialized to JSON and encoded to UTF-8, for a handler that keeps an answer
 * it repeats (mountRoute sends the bytes as they are, instead of stringifying and encoding an object
 * on every call). `T` is the shape it was made from, so a handler still has to build a body of the
 * route's type.
 */
export class JsonText<T> {
  declare private readonly shape: T;
  readonly bytes: Buffer;
  constructor(text: string) {
    this.bytes = Buffer.from(text, 'utf8');
  }

  static of<T>(body: T): JsonText<T> {
    return new JsonText<T>(JSON.stringify(body));
  }
}
