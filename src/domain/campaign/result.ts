// The outcome of a domain operation that can be refused: a value, or a stable code plus a Chinese message for the user.
export type Failure<C extends string = string> = { ok: false; code: C; message: string };
export type Result<T, C extends string = string> = { ok: true; value: T } | Failure<C>;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<C extends string>(code: C, message: string): Failure<C> {
  return { ok: false, code, message };
}
