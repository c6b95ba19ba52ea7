/** Packs named sub-regions (64-byte aligned) into one allocation. */
export class Regions {
  private size = 0;
  readonly at = new Map<string, number>();

  add(name: string, bytes: number): this {
    this.at.set(name, this.size);
    this.size += Math.ceil(Math.max(bytes, 1) / 64) * 64;
    return this;
  }

  get bytes(): number {
    return this.size;
  }

  /** absolute addresses once the block is placed at `base` */
  place(base: number): (name: string) => number {
    return (name) => {
      const o = this.at.get(name);
      if (o === undefined) throw new Error(`internal: no region ${name}`);
      return base + o;
    };
  }
}
