/** Plain-text rendering of the view models, for the console (and as the fallback text elsewhere). */
import type { ChatMessage } from "../../domain/views.js";

export function renderText(m: ChatMessage): string {
  const lines = [m.kind === "summary" ? `📌 ${m.headline}` : m.headline];
  if (m.body) lines.push(m.body);
  for (const f of m.fields) lines.push(`  ${f.label}: ${f.value}`);
  if (m.actions?.length) lines.push(`  [${m.actions.map((a) => a.label).join("] [")}]`);
  return lines.join("\n");
}
