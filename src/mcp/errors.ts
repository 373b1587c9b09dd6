/** A server that did not start: the task fails with this, naming the server and the end of its stderr. */
export class McpStartFailed extends Error {
  override name = "McpStartFailed";
}
