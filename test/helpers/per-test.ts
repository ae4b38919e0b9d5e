/**
 * A fresh fixture (a harness, a set of fakes) for every test of the enclosing `describe`, stopped after
 * it, and used as if it were the fixture itself: `const h = perTest(startHarness, (h) => h.stop())`, then
 * `h.slack…` inside the tests. Touching it outside a test is a mistake, and it says so.
 */
export function perTest<T extends object>(start: () => Promise<T>, stop: (fixture: T) => Promise<void>): T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await start();
  });
  afterEach(async () => {
    const fixture = current;
    current = undefined;
    if (fixture) await stop(fixture);
  });
  const live = (): T => {
    if (!current) throw new Error('a per-test fixture was used outside a test');
    return current;
  };
  return new Proxy(Object.create(null), {
    get(_target, key) {
      const fixture = live();
      const value: unknown = Reflect.get(fixture, key, fixture);
      return typeof value === 'function' ? value.bind(fixture) : value;
    },
    set: (_target, key, value) => Reflect.set(live(), key, value),
  });
}
