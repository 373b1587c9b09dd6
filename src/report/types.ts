/** The types of the run folder's files, each derived from its zod schema in schema.ts. */
export type {
  CheckOutcome,
  CostLine,
  CostReport,
  DeniedCall,
  ModelCost,
  ProviderDown,
  RunSummary,
  RunTotals,
  TaskCost,
  TaskResult,
  TaskSelection,
  TokenCounts,
} from "./schema.ts";
