// Sorting the few items a message yields (its brand mentions, reasons, blanked ranges): an insertion sort
// allocates nothing, where Array.prototype.sort copies the array into a work array on every call. Both
// are stable, so the order is the same, ties included; long lists still take the library sort.

/** Sorts `list` in place by `compare` (stable), and returns it. */
export function sortSmall<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  if (list.length > 16) return list.sort(compare);
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    for (; j >= 0 && compare(list[j]!, item) > 0; j--) list[j + 1] = list[j]!;
    list[j + 1] = item;
  }
  return list;
}
