import { z } from "zod";

const POSITIVE_INTEGER = "expected a positive integer";
const NON_EMPTY_STRING = "expected a non-empty string";

const scalarSchema = z.union([z.string(), z.number(), z.boolean()], { error: "expected a string, a number or true/false" });
const fieldsSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), scalarSchema);
const globsSchema = z.union([z.string().min(1, { error: NON_EMPTY_STRING }), z.array(z.string().min(1, { error: NON_EMPTY_STRING }))]);

/** A value of a list axis: a word, or a flat object whose fields are read as `{{ axis.field }}`. */
const listValueSchema = z.union([scalarSchema, fieldsSchema], { error: "expected a string, a number, true/false, or an object of those" });

const listAxisSchema = z
  .strictObject({ value: z.array(listValueSchema).describe("The axis's values, in order.") })
  .describe("Values from a list: {value: [a, b]}.");

const globAxisSchema = z
  .strictObject({
    glob: globsSchema.describe("Globs of files, relative to the repository root, matched against the files of the commit the tasks start from (so ignored files never match)."),
    exclude: globsSchema.optional().describe("Globs of files to leave out."),
    chunk: z
      .int({ error: POSITIVE_INTEGER })
      .positive({ error: POSITIVE_INTEGER })
      .optional()
      .describe("Group the files, this many to a task: {{ name }} and {{ files }} are the chunk's paths separated by spaces."),
  })
  .describe("Files matched at the base commit: {glob, exclude, chunk}.");

const packagesAxisSchema = z
  .strictObject({
    packages: z
      .union([z.literal(true), globsSchema])
      .describe("true: the workspace packages the root package.json (npm, yarn) or pnpm-workspace.yaml declares; or globs of package folders."),
    exclude: globsSchema.optional().describe("Package names or folders (globs) to leave out."),
  })
  .describe("Packages of a monorepo: {{ name.name }} is the package's name, {{ name.path }} its folder.");

/** One axis of `for_each`: a bare list, {value}, {glob, exclude, chunk} or {packages, exclude}. */
export const axisSchema = z.union([z.array(listValueSchema), listAxisSchema, globAxisSchema, packagesAxisSchema], {
  error: "expected a list of values, {value: [...]}, {glob, exclude, chunk} or {packages: true}",
});

/** A partial combination, as in a GitHub Actions matrix's include and exclude. */
const combinationSchema = z.record(z.string(), listValueSchema);

export const forEachSchema = z
  .object({
    include: z
      .array(combinationSchema)
      .optional()
      .describe("Combinations to add, or variables to add to the combinations they match (a GitHub Actions matrix's include)."),
    exclude: z
      .array(combinationSchema)
      .optional()
      .describe("Combinations to leave out: each removes every combination it matches (strings may be globs)."),
  })
  .catchall(axisSchema)
  .describe("Makes one task per combination of the axes' values: each axis is a variable, {{ name }} in prompt, title, context, files, checks and output.");

export type ForEach = z.output<typeof forEachSchema>;
export type Axis = z.output<typeof axisSchema>;
export type Scalar = z.output<typeof scalarSchema>;
export type ListValue = z.output<typeof listValueSchema>;
