/**
 * A small builder for Mermaid flowcharts: stable node ids, nested subgraphs, deduplicated edges
 * and class styling. Every label is quoted and escaped, so names with quotes, brackets or
 * Markdown in them cannot break the syntax.
 */

/**
 * Wider label wrapping than Mermaid's 200 px default, so "gpu-t4-70817d: NC4as_T4_v3 x0-2" stays
 * on one line (Mermaid docs, "Flowcharts - Basic Syntax" configuration: `flowchart.wrappingWidth`,
 * set in the diagram's frontmatter `config`).
 */
const FRONTMATTER = ["---", "config:", "  flowchart:", "    wrappingWidth: 300", "---"];

export type Arrow = "-->" | "-.->" | "---";

/** A node's shape, by Mermaid's flowchart bracket pairs. */
export const SHAPES = {
  box: ["[", "]"],
  rounded: ["(", ")"],
  stadium: ["([", "])"],
  subroutine: ["[[", "]]"],
  cylinder: ["[(", ")]"],
  hexagon: ["{{", "}}"],
  parallelogram: ["[/", "/]"],
} as const;
export type Shape = keyof typeof SHAPES;

/** Mermaid-safe label text: one line per entry, quotes as entities, no HTML brackets. */
export function label(...lines: (string | undefined)[]): string {
  return `"${lines
    .filter((line): line is string => !!line)
    .map((line) => line.replace(/"/g, "#quot;").replace(/[<>]/g, "").replace(/`/g, "'"))
    .join("<br/>")}"`;
}

interface Block {
  kind: "node" | "subgraph";
  id: string;
  text: string;
  shape?: Shape;
  children?: Block[];
}

export class Flowchart {
  private readonly ids = new Map<string, string>();
  private readonly top: Block[] = [];
  private readonly edges: string[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly classes = new Map<string, string[]>();
  private readonly classDefs: string[] = [];
  private nodes = 0;

  constructor(private readonly direction: "LR" | "TB" = "LR") {}

  /** The stable id of a key; nodes get `n1`, `n2`, ...; subgraphs `g1`, ... */
  private id(key: string, prefix: "n" | "g"): string {
    let id = this.ids.get(key);
    if (!id) {
      id = `${prefix}${this.ids.size + 1}`;
      this.ids.set(key, id);
    }
    return id;
  }

  /** Whether a node or subgraph exists for this key. */
  has(key: string): boolean {
    return this.ids.has(key);
  }

  /** The id of a declared node or subgraph. */
  idOf(key: string): string | undefined {
    return this.ids.get(key);
  }

  /** A subgraph (inside `parent` when given); returns its id for nesting. */
  subgraph(key: string, text: string, parent?: string): string {
    const existing = this.ids.get(key);
    if (existing) return existing;
    const id = this.id(key, "g");
    this.place({ kind: "subgraph", id, text, children: [] }, parent);
    return id;
  }

  /** A node (inside the subgraph `parent` when given); declared once per key. */
  node(key: string, text: string, shape: Shape = "box", parent?: string): string {
    const existing = this.ids.get(key);
    if (existing) return existing;
    const id = this.id(key, "n");
    this.nodes += 1;
    this.place({ kind: "node", id, text, shape }, parent);
    return id;
  }

  /** An edge between two declared ids; the same edge twice is drawn once. */
  edge(from: string, to: string, arrow: Arrow, text?: string): void {
    const line = `  ${from} ${arrow}${text ? `|${label(text)}|` : ""} ${to}`;
    if (this.edgeKeys.has(line)) return;
    this.edgeKeys.add(line);
    this.edges.push(line);
  }

  /** A `classDef` line (e.g. `fill:#dafbe1,stroke:#1a7f37`). */
  classDef(name: string, style: string): void {
    this.classDefs.push(`  classDef ${name} ${style}`);
  }

  /** Assigns a class to a node id. */
  addClass(id: string, name: string): void {
    this.classes.set(name, [...(this.classes.get(name) ?? []), id]);
  }

  /** How many nodes (not subgraphs) the chart draws. */
  get nodeCount(): number {
    return this.nodes;
  }

  private place(block: Block, parent?: string): void {
    if (!parent) {
      this.top.push(block);
      return;
    }
    const container = this.find(this.top, parent);
    if (!container?.children) throw new Error(`no subgraph ${parent} to place ${block.id} in`);
    container.children.push(block);
  }

  private find(blocks: Block[], id: string): Block | undefined {
    for (const block of blocks) {
      if (block.id === id) return block;
      const inner = block.children ? this.find(block.children, id) : undefined;
      if (inner) return inner;
    }
    return undefined;
  }

  private renderBlocks(blocks: Block[], depth: number): string[] {
    const indent = "  ".repeat(depth);
    return blocks.flatMap((block) => {
      if (block.kind === "node") {
        const [open, close] = SHAPES[block.shape ?? "box"];
        return [`${indent}${block.id}${open}${block.text}${close}`];
      }
      return [
        `${indent}subgraph ${block.id}[${block.text}]`,
        ...this.renderBlocks(block.children ?? [], depth + 1),
        `${indent}end`,
      ];
    });
  }

  toString(): string {
    const classLines = [...this.classes.entries()].map(([name, ids]) => `  class ${ids.join(",")} ${name}`);
    return [
      ...FRONTMATTER,
      `flowchart ${this.direction}`,
      ...this.renderBlocks(this.top, 1),
      ...this.edges,
      ...this.classDefs,
      ...classLines,
    ].join("\n");
  }
}
