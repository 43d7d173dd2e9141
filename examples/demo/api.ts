/**
 * The main-side API of the demo. The renderer imports only its type.
 */
export class Counter {
  constructor(public value = 0) {}
  increment(by = 1): number {
    return (this.value += by);
  }
}

export class Note {
  constructor(public text: string) {}
  shout(): string {
    return `${this.text.toUpperCase()}!`;
  }
}

export class Notebook {
  readonly notes: Note[] = [];
  constructor(readonly title: string) {}
  add(text: string): Note {
    const n = new Note(text);
    this.notes.push(n);
    return n;
  }
}

/** What main exposes as module "demo". */
export function createDemoApi() {
  return {
    add: (a: number, b: number) => a + b,
    hostname: () => 'main-process',
    Counter,
    makeCounter: (start: number) => new Counter(start),
    openNotebook: (title: string) => new Notebook(title),
    async slowSquare(n: number) {
      await new Promise((r) => setTimeout(r, 20));
      return n * n;
    },
    readConfig(): never {
      const e = new Error('config.json is missing') as Error & { code: string; path: string };
      e.code = 'ENOENT';
      e.path = '/etc/demo/config.json';
      throw e;
    },
  };
}

export type DemoApi = ReturnType<typeof createDemoApi>;
