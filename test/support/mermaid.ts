import { createRequire } from "node:module";

/**
 * The `mermaid` package's own parser, in Node. Mermaid sanitises labels with DOMPurify, which
 * needs a DOM: a jsdom window is installed as `window`/`document` before mermaid is first
 * imported (a static import would load it first). Loaded once per test file (~250 ms).
 */

interface MermaidApi {
  initialize(config: { startOnLoad: boolean; securityLevel?: string }): void;
  /** Resolves for valid input, throws the parser's error for invalid. */
  parse(text: string): Promise<unknown>;
  mermaidAPI: {
    getDiagramFromText(text: string): Promise<{ type: string; db: unknown }>;
  };
}

/** What the flowchart parser read: its vertices (nodes) and subgraphs. */
export interface ParsedFlowchart {
  type: string;
  nodeIds: string[];
  subgraphCount: number;
  edgeCount: number;
  classes: Map<string, string[]>;
}

interface FlowDb {
  getVertices(): Map<string, { id: string; classes: string[] }>;
  getSubGraphs(): unknown[];
  getEdges(): unknown[];
}

let loading: Promise<MermaidApi> | undefined;

function loadMermaid(): Promise<MermaidApi> {
  loading ??= (async () => {
    const { JSDOM } = createRequire(__filename)("jsdom") as {
      JSDOM: new (html: string) => { window: { document: unknown } };
    };
    const dom = new JSDOM("");
    const global = globalThis as Record<string, unknown>;
    global.window = dom.window;
    global.document = dom.window.document;
    const mermaid = (await import("mermaid")).default as unknown as MermaidApi;
    mermaid.initialize({ startOnLoad: false });
    return mermaid;
  })();
  return loading;
}

/** Parses a diagram with mermaid's own parser; throws on a syntax error. */
export async function parseMermaid(text: string): Promise<void> {
  const mermaid = await loadMermaid();
  await mermaid.parse(text);
}

/** Parses a flowchart and returns what mermaid's flowchart database holds. */
export async function parseFlowchart(text: string): Promise<ParsedFlowchart> {
  const mermaid = await loadMermaid();
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as FlowDb;
  const vertices = [...db.getVertices().values()];
  const classes = new Map<string, string[]>();
  for (const vertex of vertices)
    for (const name of vertex.classes) classes.set(name, [...(classes.get(name) ?? []), vertex.id]);
  return {
    type: diagram.type,
    nodeIds: vertices.map((v) => v.id),
    subgraphCount: db.getSubGraphs().length,
    edgeCount: db.getEdges().length,
    classes,
  };
}
