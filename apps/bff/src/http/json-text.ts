/**
 * An API answer already serialized to JSON, for a handler that keeps the text of an answer it
 * repeats (mountRoute sends it as is, instead of stringifying an object on every call). `T` is the
 * shape the text was made from, so a handler still has to build a body of the route's type.
 */
export class JsonText<T> {
  declare private readonly shape: T;
  constructor(readonly text: string) {}

  static of<T>(body: T): JsonText<T> {
    return new JsonText<T>(JSON.stringify(body));
  }
}
