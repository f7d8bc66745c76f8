export { renderMermaid, roleName } from "./mermaid";
