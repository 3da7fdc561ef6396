/** The typed arrays the model keeps its columns in. */
export type Column = Float64Array | Uint8Array | Uint16Array | Int32Array;

/** A copy of `array`, `size` long, holding its values at the start (the rest zero). */
export function widened<T extends Column>(array: T, size: number): T {
  const copy = new (array.constructor as new (size: number) => T)(size);
  copy.set(array);
  return copy;
}
