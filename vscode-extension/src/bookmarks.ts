// Bookmarks: named positions in a trace, kept in the workspace state. No `vscode` import:
// the store works over any key-value memento.

export interface Bookmark {
  id: string;
  event: number;
  label: string;
  created: string;
}

/** The part of `vscode.Memento` the store needs. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const storageKey = "rewind.bookmarks";

/** Bookmarks per trace: a trace is identified by its path (or the program that recorded it). */
export class BookmarkStore {
  constructor(private readonly store: KeyValueStore, private readonly now: () => Date = () => new Date()) {}

  list(trace: string): Bookmark[] {
    const all = this.store.get<Record<string, Bookmark[]>>(storageKey) ?? {};
    return [...(all[trace] ?? [])].sort((a, b) => a.event - b.event || a.label.localeCompare(b.label));
  }

  async add(trace: string, event: number, label: string): Promise<Bookmark> {
    const all = { ...(this.store.get<Record<string, Bookmark[]>>(storageKey) ?? {}) };
    const existing = all[trace] ?? [];
    const created = this.now().toISOString();
    const bookmark: Bookmark = { id: `${event}-${created}`, event, label: label.trim() || `Event ${event}`, created };
    all[trace] = [...existing, bookmark];
    await this.store.update(storageKey, all);
    return bookmark;
  }

  async remove(trace: string, id: string): Promise<boolean> {
    const all = { ...(this.store.get<Record<string, Bookmark[]>>(storageKey) ?? {}) };
    const existing = all[trace] ?? [];
    const kept = existing.filter((b) => b.id !== id);
    if (kept.length === existing.length) return false;
    all[trace] = kept;
    await this.store.update(storageKey, all);
    return true;
  }
}
