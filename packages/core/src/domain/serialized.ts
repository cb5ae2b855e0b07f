/** The JSON form of a value: what crosses a wire or a jsonb column (dates become ISO strings). */
export type Serialized<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Serialized<U>[]
    : T extends object
      ? { [K in keyof T]: Serialized<T[K]> }
      : T;

export const serialize = <T>(value: T): Serialized<T> => JSON.parse(JSON.stringify(value));
