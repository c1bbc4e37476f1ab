/**
 * A counter's level over time with bounded memory: past `cap` points, neighbouring points are
 * merged in pairs keeping the higher level (the peak is what a reader looks for against a
 * limit), so a long replay keeps its shape at a coarser grain.
 */
export class LevelSeries {
  private points: [number, number][] = [];
  coarse = false;

  constructor(private readonly cap = 2000) {}

  add(t: number, level: number): void {
    const last = this.points[this.points.length - 1];
    if (last !== undefined && last[0] === t) {
      last[1] = level; // the level after the last call at that instant
      return;
    }
    this.points.push([t, level]);
    if (this.points.length > this.cap) this.halve();
  }

  get peak(): number {
    let max = 0;
    for (const p of this.points) if (p[1] > max) max = p[1];
    return max;
  }

  data(): [number, number][] {
    return this.points;
  }

  private halve(): void {
    const out: [number, number][] = [];
    for (let i = 0; i < this.points.length; i += 2) {
      const a = this.points[i]!;
      const b = this.points[i + 1];
      out.push(b === undefined ? a : [a[0], Math.max(a[1], b[1])]);
    }
    this.points = out;
    this.coarse = true;
  }
}
