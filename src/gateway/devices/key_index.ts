/**
 * {@linkcode KeyIndex}: O(1) lookups by key in an array that its owners keep mutating freely
 * (push, in-place replacement of a record by one with the same key, reassignment by `filter`,
 * `splice`). The pairing store's lists are such arrays; a linear `find` per connect made a
 * connect storm of N devices O(N²) (issue 8).
 * @module
 */

/**
 * A position index over one array at a time. Appended records are indexed on the next lookup;
 * a different array (reassigned) or a shorter one is indexed afresh; every hit is checked
 * against the record's key, and a stale position triggers one rebuild, never a wrong answer.
 * Assumes a record's key never changes in place (a replacement at position i has the same key);
 * an in-place removal must call {@linkcode KeyIndex.invalidate} (removal then push would keep
 * the length and hide the shift from a lookup that misses).
 *
 * @example
 * ```ts
 * import { KeyIndex } from "./key_index.ts";
 * const list = [{ id: "a" }, { id: "b" }];
 * const index = new KeyIndex<{ id: string }>((r) => r.id);
 * console.assert(index.find(list, "b") === list[1]);
 * list.splice(0, 1);
 * index.invalidate();
 * console.assert(index.find(list, "b") === list[0] && index.find(list, "a") === undefined);
 * ```
 */
export class KeyIndex<T> {
  readonly #key: (record: T) => string;
  #list: T[] | undefined;
  #indexed = 0;
  #positions = new Map<string, number>();

  /** @param key The record's key (unique within the array). */
  constructor(key: (record: T) => string) {
    this.#key = key;
  }

  /** The record with `key` in `list`, if any. */
  find(list: T[], key: string): T | undefined {
    const i = this.position(list, key);
    return i >= 0 ? list[i] : undefined;
  }

  /** The position of the record with `key` in `list`, or -1. */
  position(list: T[], key: string): number {
    if (list !== this.#list || list.length < this.#indexed) this.#rebuild(list);
    else this.#extend(list);
    let i = this.#positions.get(key);
    if (i === undefined) return -1;
    if (i < list.length && this.#key(list[i]) === key) return i;
    this.#rebuild(list);
    i = this.#positions.get(key);
    return i === undefined ? -1 : i;
  }

  /** Forgets all positions (after removing records in place). */
  invalidate(): void {
    this.#list = undefined;
  }

  #rebuild(list: T[]): void {
    this.#list = list;
    this.#indexed = 0;
    this.#positions = new Map();
    this.#extend(list);
  }

  #extend(list: T[]): void {
    for (; this.#indexed < list.length; this.#indexed++) {
      this.#positions.set(this.#key(list[this.#indexed]), this.#indexed);
    }
  }
}
