/**
 * What a tool result of an MCP server says, as text for the model. Pure. Text comes as it is; images,
 * audio and resources are described (type, size, address), never dropped silently and never pasted as base64.
 */
export function renderContent(content: readonly unknown[], structured: unknown): string {
  const parts = content.map(renderItem);
  if (parts.length === 0 && structured !== undefined) parts.push(JSON.stringify(structured, null, 2));
  return parts.length === 0 ? "(no content)" : parts.join("\n");
}

function renderItem(item: unknown): string {
  if (typeof item !== "object" || item === null) return `[content the server sent in an unknown form: ${clip(JSON.stringify(item))}]`;
  const record = item as Record<string, unknown>;
  switch (record.type) {
    case "text":
      return typeof record.text === "string" ? record.text : "";
    case "image":
    case "audio":
      return `[${record.type} ${mimeOf(record)}, ${base64Bytes(record.data)} bytes, not shown: the model is given text only]`;
    case "resource_link":
      return `[resource link ${String(record.uri ?? "")}${record.name ? ` (${String(record.name)})` : ""}${record.mimeType ? `, ${String(record.mimeType)}` : ""}]`;
    case "resource": {
      const resource = (record.resource ?? {}) as Record<string, unknown>;
      const uri = String(resource.uri ?? "");
      if (typeof resource.text === "string") return `[resource ${uri}]\n${resource.text}`;
      return `[resource ${uri}, ${mimeOf(resource)}, ${base64Bytes(resource.blob)} bytes of binary data, not shown]`;
    }
    default:
      return `[content of type ${clip(String(record.type))}, not shown]`;
  }
}

function mimeOf(record: Record<string, unknown>): string {
  return typeof record.mimeType === "string" ? record.mimeType : "of unknown type";
}

function base64Bytes(data: unknown): number {
  if (typeof data !== "string") return 0;
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
