// Controller expectations (upstream: pkg/controller/controller_utils.go ControllerExpectations):
// after a controller asks for N creations and some deletions, it must not plan again for that
// owner until its informer has seen them, or a quick second sync would create the same pods
// twice. Expectations expire after a while so a lost event cannot wedge an owner forever.

const EXPIRY_MS = 30_000;

interface Expectation {
  adds: number;
  dels: Set<string>;
  at: number;
}

export class Expectations {
  private m = new Map<string, Expectation>();

  expect(owner: string, adds: number, dels: string[] = []): void {
    const e = this.m.get(owner) ?? { adds: 0, dels: new Set<string>(), at: 0 };
    e.adds += adds;
    for (const d of dels) e.dels.add(d);
    e.at = Date.now();
    this.m.set(owner, e);
  }

  /** A create the informer has now seen (or that failed and will never be seen). */
  observeAdd(owner: string): void {
    const e = this.m.get(owner);
    if (e && e.adds > 0) e.adds--;
  }

  observeDelete(owner: string, key: string): void {
    this.m.get(owner)?.dels.delete(key);
  }

  satisfied(owner: string): boolean {
    const e = this.m.get(owner);
    if (!e) return true;
    if ((e.adds <= 0 && e.dels.size === 0) || Date.now() - e.at > EXPIRY_MS) {
      this.m.delete(owner);
      return true;
    }
    return false;
  }

  forget(owner: string): void {
    this.m.delete(owner);
  }
}
